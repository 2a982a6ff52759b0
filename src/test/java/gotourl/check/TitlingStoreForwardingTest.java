package gotourl.check;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.store.LinkStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TitlingStore} wraps the real store whenever titles are resolved: a {@link LinkStore}
 * method it does not override runs the interface's default on the wrapper instead of the store's
 * own (the not-found redirects were once lost that way, answering NONE and "cannot keep").
 */
class TitlingStoreForwardingTest {
    @Test
    void everyMethodOfTheStoreIsForwarded() throws Exception {
        List<String> notForwarded = new ArrayList<>();
        for (Method method : LinkStore.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getName().equals("close") && method.getParameterCount() == 0) {
                continue; // close() is close(Duration), which is forwarded
            }
            Method own = TitlingStore.class.getMethod(method.getName(), method.getParameterTypes());
            if (own.getDeclaringClass() != TitlingStore.class) {
                notForwarded.add(method.getName());
            }
        }
        assertThat(notForwarded).isEmpty();
    }
}
