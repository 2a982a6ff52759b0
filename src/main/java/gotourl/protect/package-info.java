/**
 * Protected links: a link may carry a password, kept only as a slow salted hash (Argon2id, by
 * password4j), and its visitor gets a password page before the redirect. Owns the hashing
 * ({@link gotourl.protect.Passwords}), the bounded pool of checks off Jetty's selector threads
 * ({@link gotourl.protect.PasswordChecks}), the rate limits per client and per link
 * ({@link gotourl.protect.UnlockLimits}) and the page and its form
 * ({@link gotourl.protect.ProtectedRoute}, templates under {@code src/main/jte/protect/}). Uses
 * {@code gotourl.link} and Jetty; the redirect itself (tracking, visit limits) is handed back to
 * its caller, so {@code gotourl.http} uses this package and never the other way round.
 */
package gotourl.protect;
