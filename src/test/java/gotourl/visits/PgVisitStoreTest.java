package gotourl.visits;

import gotourl.store.pg.PgSettings;
import gotourl.store.pg.PgVisitStore;
import gotourl.store.pg.TestPostgres;
import java.util.Map;

/** The visit store contract on PostgreSQL: a real server, each test on a new database. */
class PgVisitStoreTest extends VisitStoreContract {
    @Override
    protected VisitStore open() throws Exception {
        return PgVisitStore.open(PgSettings.parse(TestPostgres.shared().newDatabase(), null, Map.of()));
    }
}
