package gotourl.store.pg;

import gotourl.store.LinkStore;
import gotourl.store.LinkStoreContract;
import java.time.Clock;
import java.util.Map;

/** The contract for the PostgreSQL store, on a real server, each test on a new database. */
class PgLinkStoreContractTest extends LinkStoreContract {
    @Override
    protected LinkStore openEmptyStore(Clock clock) throws Exception {
        PgSettings settings = PgSettings.parse(TestPostgres.shared().newDatabase(), null, Map.of());
        return PgLinkStore.open(settings, PgLinkStore.Options.defaults().withClock(clock));
    }
}
