package gotourl.store.pg;

import gotourl.store.LinkStore;
import gotourl.store.LinkStoreStressContract;
import java.time.Clock;
import java.util.Map;

/** The stress contract for the PostgreSQL store, on a real server. */
class PgLinkStoreStressTest extends LinkStoreStressContract {
    @Override
    protected LinkStore openEmptyStore(Clock clock) throws Exception {
        PgSettings settings = PgSettings.parse(TestPostgres.shared().newDatabase(), null, Map.of());
        return PgLinkStore.open(settings, PgLinkStore.Options.defaults().withClock(clock));
    }
}
