/**
 * Moving links in and out of goto: {@code goto export} (every link with its fields and visit
 * counts, as JSON Lines or CSV) and {@code goto import} (goto's own exports, the exports of
 * YOURLS, Shlink, Kutt and Bitly, and plain lists of URLs, recognised from their content), into a
 * stopped goto's data file through the store's bulk path or into a running goto through its
 * batch API. Uses {@code gotourl.link} (the rules a link must meet), {@code gotourl.store.log}
 * (the bulk path), {@code gotourl.visits} (counts) and {@code gotourl.files} (exports are
 * created owner-only); nothing here serves HTTP.
 */
package gotourl.porting;
