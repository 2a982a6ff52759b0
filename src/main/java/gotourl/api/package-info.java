/**
 * The REST API that Shlink's clients speak: Shlink's REST API v3 under {@code /rest/v3} (and the
 * {@code /rest/v1}, {@code /rest/v2} aliases), its JSON shapes, problem+json errors and CORS,
 * plus goto's batch create and its OpenAPI document at {@code /rest/openapi.json}.
 *
 * <p>{@link gotourl.api.RestApi} is the entry: {@code gotourl.http.AppHandler} hands it every
 * request under {@code /rest/}. Handlers never wait: bodies are read asynchronously, the store
 * completes a future, and the answer is written from there.
 *
 * <p>Seams left for what comes later: API keys come through {@link gotourl.apikey.ApiKeys}
 * ({@link gotourl.api.ApiOptions#keys()}); visit counts and visit lists through
 * {@link gotourl.api.ApiOptions#visits()} ({@link gotourl.api.ApiVisits}), whose tracker's store
 * the visits routes ({@link gotourl.api.VisitRoutes}) read.
 *
 * <p>May use: {@code gotourl.link}, {@code gotourl.store}, {@code gotourl.apikey},
 * {@code gotourl.visits}, Jetty, Jackson.
 */
package gotourl.api;
