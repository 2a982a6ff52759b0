package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.RunningGoto;
import gotourl.StoreOpeners;
import gotourl.store.MemoryLinkStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /rest/v3/short-urls?searchTerm=} over a real socket for a long URL given in Unicode:
 * goto stores {@code https://bücher.de/café?q=ü} as {@code https://xn--bcher-kva.de/caf%C3%A9?q=%C3%BC},
 * and a term typed as the URL reads ({@code bücher}, {@code café}, {@code ü}) found nothing where
 * Shlink, which stores the URL as given, finds it.
 */
class InternationalSearchTest {
    @TempDir
    Path dir;
    private RunningGoto app;
    private Api api;

    private void start(String store) throws Exception {
        app = store.equals("file")
                ? RunningGoto.start(RunningGoto.config(dir.resolve("goto.data")), StoreOpeners.logStore(o -> o), TestApiKeys.options())
                : RunningGoto.start(RunningGoto.config(null), (c, m) -> new MemoryLinkStore(), TestApiKeys.options());
        api = new Api(app, TestApiKeys.ADMIN);
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "file"})
    void aUnicodeUrlIsFoundAsTypedAndAsStored(String store) throws Exception {
        start(store);
        // Shlink's defaults: kept in the index's bytes, searched without building the link.
        String plain = api.create("{\"longUrl\": \"https://bücher.de/café?q=ü\"}");
        // A title: searched as a whole link.
        String rich = api.create("{\"longUrl\": \"https://faß.example/straße\", \"title\": \"Rich\"}");
        String ascii = api.create("{\"longUrl\": \"https://example.com/docs\"}");
        assertThat(api.get("/rest/v3/short-urls/" + plain).body().get("longUrl").asText())
                .as("what goto answers: the stored form").isEqualTo("https://xn--bcher-kva.de/caf%C3%A9?q=%C3%BC");

        for (String term : List.of("bücher", "Bücher", "xn--bcher", "café", "caf%C3%A9", "caf%c3%a9", "ü", "cher.de/café")) {
            assertThat(found(term)).as(term).containsExactly(plain);
        }
        for (String term : List.of("faß", "straße", "STRAßE", "xn--fa-hia")) {
            assertThat(found(term)).as(term).containsExactly(rich);
        }
        assertThat(found("docs")).containsExactly(ascii);
        assertThat(found("example")).containsExactlyInAnyOrder(rich, ascii);
        assertThat(found("https://")).containsExactlyInAnyOrder(plain, rich, ascii);
        // Decoding makes no match of its own: a lone % is found only where the stored URL has one.
        assertThat(found("%")).containsExactlyInAnyOrder(plain, rich);
        assertThat(found("%2")).isEmpty();
        assertThat(found("%C")).containsExactlyInAnyOrder(plain, rich);
        assertThat(found("\uFFFD")).isEmpty();
        assertThat(found("nowhere")).isEmpty();
    }

    /** The short codes the list answers {@code term} with, every page at once. */
    private List<String> found(String term) throws Exception {
        Api.Answer answer = api.get("/rest/v3/short-urls?itemsPerPage=-1&searchTerm=" + URLEncoder.encode(term, StandardCharsets.UTF_8));
        assertThat(answer.status()).as(term).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        for (JsonNode link : answer.body().get("shortUrls").get("data")) {
            codes.add(link.get("shortCode").asText());
        }
        return codes;
    }
}
