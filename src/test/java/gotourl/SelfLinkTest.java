package gotourl;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.http.WebServer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A long URL that points at this goto is refused however it is spelled: through {@code -host},
 * or through any address goto listens on, on the app or the admin listener. The seed's goto, and
 * goto before this test, took {@code http://127.0.0.1:PORT/zz} from a goto on 127.0.0.1:PORT, and
 * when zz was the next key the short link redirected to itself forever.
 */
class SelfLinkTest {

    @Test
    void aLoopbackListenerIsRefusedInEverySpelling() throws Exception {
        try (RunningGoto app = RunningGoto.inMemory()) {
            int port = app.service().appPort();
            int admin = app.service().adminPort();
            for (String url : List.of("http://127.0.0.1:" + port + "/zz", "http://127.0.0.1:" + port + "/b",
                    "https://127.0.0.1:" + port + "/", "http://2130706433:" + port + "/a", "http://0x7f000001:" + port + "/",
                    "http://0177.0.0.1:" + port + "/", "http://127.1:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/",
                    "http://localhost:" + port + "/a", "http://LOCALHOST.:" + port + "/a", "http://ｌｏｃａｌｈｏｓｔ:" + port + "/",
                    "http://0.0.0.0:" + port + "/", "http://127.0.0.1:" + admin + "/metrics")) {
                assertRefusedAsSelf(app, url);
            }
            // The -host name, with and without its default port.
            assertRefusedAsSelf(app, "http://goto.test/a");
            assertRefusedAsSelf(app, "http://goto.test:80/a");
            assertRefusedAsSelf(app, "HTTPS://GOTO.TEST./a");
            // Another port on the same address is another service.
            int other = port == 9 || admin == 9 ? 13 : 9;
            assertThat(app.add("http://127.0.0.1:" + other + "/").statusCode()).isEqualTo(200);
            assertThat(app.add("http://127.0.0.2:" + port + "/").statusCode()).as("a loopback address goto does not listen on")
                    .isEqualTo(200);
        }
    }

    @Test
    void aListenerOnEveryInterfaceIsRefusedThroughEveryAddressOfTheMachine() throws Exception {
        Config base = RunningGoto.config(null);
        Config everywhere = new Config(ListenAddress.parse(":0"), null, base.host(), true, base.admin(),
                Duration.ofSeconds(10), null, base.queueWait(), WebServer.Limits.DEFAULT);
        try (RunningGoto app = RunningGoto.start(everywhere)) {
            int port = app.service().appPort();
            for (String url : List.of("http://127.0.0.2:" + port + "/", "http://[::1]:" + port + "/", "http://0:" + port + "/",
                    "http://[::]:" + port + "/", "http://app.localhost:" + port + "/", "http://2130706434:" + port + "/")) {
                assertRefusedAsSelf(app, url);
            }
            InetAddress own = machineAddress();
            if (own != null) {
                assertRefusedAsSelf(app, "http://" + own.getHostAddress() + ":" + port + "/");
            }
            assertThat(app.add("http://192.0.2.1:" + port + "/").statusCode()).as("an address of another machine").isEqualTo(200);
        }
    }

    /**
     * The machine's own host name (what {@code hostname} prints, the way people most often name
     * their server) reaches a listener on every interface: {@code http://myserver:3000/KEY} was
     * accepted and redirected to itself forever.
     */
    @Test
    void theMachinesOwnHostNameIsRefusedForAListenerOnEveryInterface() throws Exception {
        String hostName = InetAddress.getLocalHost().getHostName();
        Config base = RunningGoto.config(null);
        Config everywhere = new Config(ListenAddress.parse(":0"), null, base.host(), true, base.admin(),
                Duration.ofSeconds(10), null, base.queueWait(), WebServer.Limits.DEFAULT);
        try (RunningGoto app = RunningGoto.start(everywhere)) {
            int port = app.service().appPort();
            assertRefusedAsSelf(app, "http://" + hostName + ":" + port + "/a");
            assertRefusedAsSelf(app, "http://" + hostName.toUpperCase(java.util.Locale.ROOT) + ".:" + port + "/a");
            assertThat(app.add("http://" + hostName + ":" + (port == 1 ? 2 : port - 1) + "/a").statusCode())
                    .as("another port of this machine is another server").isEqualTo(200);
        }
    }

    private static void assertRefusedAsSelf(RunningGoto app, String url) throws Exception {
        HttpResponse<String> response = app.add(url);
        assertThat(response.statusCode()).as(url).isEqualTo(400);
        assertThat(response.body()).as(url).startsWith("add refused: url points at this goto (")
                .contains("a short link to a short link would redirect in a loop");
    }

    /** An IPv4 address of a non-loopback interface that is up, if the machine has one. */
    private static InetAddress machineAddress() throws Exception {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : nic.inetAddresses().toList()) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        return null;
    }
}
