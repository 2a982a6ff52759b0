/**
 * The link model and its rules, without I/O: what a link is ({@link gotourl.link.Link}), what a
 * client may ask for when creating or editing one ({@link gotourl.link.LinkDraft},
 * {@link gotourl.link.LinkEdit}), which short codes are allowed (custom slugs, reserved paths:
 * {@link gotourl.link.ShortCodes}), the seed's key counter in base 62 ({@link gotourl.link.Keys}),
 * the rules for long URLs ({@link gotourl.link.LongUrlRules}, by the WHATWG URL Standard that
 * browsers follow, with {@link gotourl.link.WebUrl} as its parser and IDNA from ICU4J), how a
 * stored URL reads to a person, for searching ({@link gotourl.link.UrlDisplay}), and the
 * endpoints through which goto itself is reached ({@link gotourl.link.SelfAddresses}), which
 * callers find and pass in, and how a link's text goes into a CSV cell a spreadsheet may open
 * ({@link gotourl.link.CsvCells}).
 *
 * <p>May use: the JDK and ICU4J. Used by the stores, the command line, the HTTP routes and the
 * import tool; it knows nothing of HTTP, storage or threads.
 */
package gotourl.link;
