/**
 * What a link is made of, without I/O: the rules for long URLs ({@link gotourl.link.LongUrlRules},
 * by the WHATWG URL Standard that browsers follow, with {@link gotourl.link.WebUrl} as its parser
 * and IDNA from ICU4J) and the endpoints through which goto itself is reached
 * ({@link gotourl.link.SelfAddresses}), which callers find and pass in.
 *
 * <p>May use: the JDK and ICU4J. Used by the command line, the HTTP routes and the import tool;
 * it knows nothing of HTTP, storage or threads.
 */
package gotourl.link;
