/**
 * The link model and its rules, with no I/O: what a link is ({@code Link}), what a client may ask
 * for when creating or editing one, which short codes are allowed (custom slugs, reserved paths),
 * and the seed's key counter in base 62 ({@link gotourl.link.Keys}). Stores, HTTP routes and the
 * command line use this package; it uses nothing of goto's.
 */
package gotourl.link;
