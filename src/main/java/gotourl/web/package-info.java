/**
 * goto's web app, served from the jar on the application listener: the shorten page at
 * {@code /} (the seed's form grown up; it works without JavaScript), {@code /manage},
 * {@code /stats/{shortCode}} and {@code /feed}, and their static assets under
 * {@code /static/{version}/}. Pages are jte templates ({@code src/main/jte/web/}) that escape
 * by default; the scripts ({@code src/main/resources/web/}) talk only to the public REST API with
 * the API key the user signed in with, kept in the browser's session storage. Every answer carries
 * a Content-Security-Policy without inline script or style.
 *
 * <p>Uses {@code gotourl.http} (the listener's {@link gotourl.http.AppPages} hook) and
 * {@code gotourl.link} (short code rules); never the stores: what a page shows of links comes from
 * the REST API, so the page and the API cannot disagree.
 */
package gotourl.web;
