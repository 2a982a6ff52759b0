package gotourl.http;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.RunningGoto;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The seed's form: {@code GET /add} and {@code GET /} show a field {@code url} posted to {@code /add}. */
class FormPageTest {
    private static final Pattern FORM = Pattern.compile("<form\\s[^>]*>", Pattern.CASE_INSENSITIVE);
    private static RunningGoto app;

    @BeforeAll
    static void start() throws Exception {
        app = RunningGoto.inMemory();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/add", "/add?url=", "/?url=https://example.com/"})
    void showsTheFormThatPostsAUrlToAdd(String path) throws Exception {
        HttpResponse<String> page = app.get(path);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        Matcher form = FORM.matcher(page.body());
        assertThat(form.find()).as("a <form> in %s", page.body()).isTrue();
        assertThat(form.group()).containsIgnoringCase("method=\"POST\"").contains("action=\"/add\"");
        assertThat(page.body()).containsPattern("<input[^>]*name=\"url\"");
        assertThat(app.service().store().size()).as("showing the form stores nothing").isZero();
    }

    @Test
    void headOfTheFormHasNoBody() throws Exception {
        HttpResponse<String> head = app.send(HttpRequest.newBuilder(app.uri("/")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void postingToTheFormPageIsA405() throws Exception {
        HttpResponse<String> response = app.postForm("/", "url=https://example.com/");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET, HEAD");
        assertThat(app.service().store().size()).isZero();
    }
}
