/**
 * Link health and page titles: the seeds' bounded crawler, memo and progress ticker put to work.
 * {@link gotourl.check.LinkChecker} judges one long URL (HEAD, then GET when HEAD is refused);
 * {@link gotourl.check.CheckRun} checks many under a global and a per-host bound, cancellable
 * at once; {@link gotourl.check.HealthBook} keeps each link's last verdict, through its
 * {@code Keeper}: the side file {@code FILE.health}, or with {@code -db} the database's table
 * (implemented by {@code gotourl.store.pg}, so this package knows no SQL); {@link gotourl.check.BackgroundChecker} re-checks every link of a
 * running goto ({@code -check-interval}); {@link gotourl.check.TitleResolver} fills in missing
 * titles ({@code -resolve-titles}), fetching each URL once however many creates ask at the same time.
 *
 * <p>May use: {@code gotourl.fetch}, {@code gotourl.link}, {@code gotourl.store},
 * {@code gotourl.files}, jsoup, Jackson, Caffeine, progressbar. Knows nothing of HTTP routes: the REST API reads health through a function.
 */
package gotourl.check;
