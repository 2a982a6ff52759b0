package gotourl.api;

import static org.assertj.core.api.Assertions.assertThat;

import gotourl.link.Link;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A short URL created or edited with a form body ({@code application/x-www-form-urlencoded}, as
 * {@code curl -d longUrl=...} sends), which Shlink takes (its servers parse the form before its
 * JSON-only body parser), over a real socket: the fields are read as the JSON ones, lists as
 * {@code tags[]}; other routes and multipart bodies are refused 415 naming {@code application/json}.
 */
class FormBodiesApiTest {
    private static final String FORM = "application/x-www-form-urlencoded";

    @RegisterExtension
    final KeyedMemoryGoto running = new KeyedMemoryGoto();

    @Test
    void aFormCreatesAndEditsAShortUrlAsItsJsonWould() throws Exception {
        Api.Answer created = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2Fform%3Fa%3D1%26b%3D2"
                + "&customSlug=formed&tags%5B%5D=docs&tags[]=caf%C3%A9&maxVisits=3&crawlable=true&title=");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(200);
        assertThat(created.body().get("shortCode").asText()).isEqualTo("formed");
        Link link = running.app().service().store().lookup("formed");
        assertThat(link.longUrl()).isEqualTo("https://example.com/form?a=1&b=2");
        assertThat(link.tags()).containsExactlyInAnyOrder("docs", "café");
        assertThat(link.maxVisits()).isEqualTo(3);
        assertThat(link.crawlable()).isTrue();
        assertThat(link.title()).as("an empty field is one left out").isNull();

        Api.Answer edited = send("PATCH", "/rest/v3/short-urls/formed", FORM + "; charset=UTF-8", "title=Edited+here&tags[0]=api");
        assertThat(edited.status()).as(String.valueOf(edited.body())).isEqualTo(200);
        assertThat(running.app().service().store().lookup("formed").title()).isEqualTo("Edited here");
        assertThat(running.app().service().store().lookup("formed").tags()).containsExactly("api");
    }

    @Test
    void aFieldSentTwiceIsRefusedNamingIt() throws Exception {
        Api.Answer twice = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2Fa&longUrl=https%3A%2F%2Fexample.com%2Fb");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.type()).isEqualTo("https://shlink.io/api/error/invalid-data");
        assertThat(twice.body().get("invalidElements").toString()).isEqualTo("[\"longUrl\"]");
        assertThat(twice.body().get("detail").asText()).contains("longUrl 2 times");
        Api.Answer missing = send("POST", "/rest/v3/short-urls", FORM, "customSlug=nothing");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("invalidElements").toString()).isEqualTo("[\"longUrl\"]");
        assertThat(running.app().service().store().size()).isZero();
    }

    @Test
    void jsonLabelledAsAFormIsStillReadAsJson() throws Exception {
        // curl -d '{"longUrl": ...}' without -H 'Content-Type: application/json' labels its JSON a form.
        Api.Answer created = send("POST", "/rest/v3/short-urls", FORM, "{\"longUrl\": \"https://example.com/json\", \"customSlug\": \"j\"}");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(200);
        assertThat(running.app().service().store().lookup("j").longUrl()).isEqualTo("https://example.com/json");
    }

    @Test
    void otherRoutesAndMultipartBodiesAreRefused415NamingJson() throws Exception {
        Api.Answer rename = send("PUT", "/rest/v3/tags", FORM, "oldName=a&newName=b");
        assertThat(rename.status()).isEqualTo(415);
        assertThat(rename.type()).isEqualTo("https://shlink.io/api/error/unsupported-media-type");
        assertThat(rename.body().get("detail").asText()).contains("application/json");
        String boundary = "b0undary";
        Api.Answer multipart = send("POST", "/rest/v3/short-urls", "multipart/form-data; boundary=" + boundary,
                "--" + boundary + "\r\nContent-Disposition: form-data; name=\"longUrl\"\r\n\r\nhttps://example.com/m\r\n--"
                        + boundary + "--\r\n");
        assertThat(multipart.status()).isEqualTo(415);
        assertThat(multipart.body().get("detail").asText()).contains("application/json").contains(FORM);
        assertThat(running.app().service().store().size()).isZero();
    }

    @Test
    void aFormsBooleansTakeShlinksSpellingsInAnyCaseAndRefuseOthersNamingThem() throws Exception {
        String[][] cases = {{"1", "0"}, {"on", "off"}, {"yes", "no"}, {"TRUE", "False"}, {"On", "NO"}};
        for (int i = 0; i < cases.length; i++) {
            Api.Answer created = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F" + i
                    + "&customSlug=b" + i + "&crawlable=" + cases[i][0] + "&forwardQuery=" + cases[i][1]);
            assertThat(created.status()).as(cases[i][0] + " " + created.body()).isEqualTo(200);
            assertThat(running.app().service().store().lookup("b" + i).crawlable()).as(cases[i][0]).isTrue();
            assertThat(running.app().service().store().lookup("b" + i).forwardQuery()).as(cases[i][1]).isFalse();
        }
        Api.Answer edited = send("PATCH", "/rest/v3/short-urls/b0", FORM, "crawlable=0&forwardQuery=Yes");
        assertThat(edited.status()).as(String.valueOf(edited.body())).isEqualTo(200);
        assertThat(running.app().service().store().lookup("b0").crawlable()).isFalse();
        assertThat(running.app().service().store().lookup("b0").forwardQuery()).isTrue();
        for (String bad : new String[] {"maybe", "2", "y", "truee"}) {
            Api.Answer refused = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&crawlable=" + bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.body().get("invalidElements").toString()).isEqualTo("[\"crawlable\"]");
            assertThat(refused.body().get("detail").asText()).as(bad).contains("crawlable must be true or false, in a form"
                    + " true/false, 1/0, on/off or yes/no (any case), not a string (\"" + bad + "\")");
        }
        // JSON keeps its own types: 1 is no boolean there.
        Api.Answer json = new Api(running.app(), TestApiKeys.ADMIN).post("/rest/v3/short-urls", "{\"longUrl\": \"https://example.com/\", \"crawlable\": \"1\"}");
        assertThat(json.status()).isEqualTo(400);
        assertThat(running.app().service().store().size()).isEqualTo(cases.length);
    }

    @Test
    void aListInAShapeGotoDoesNotReadIsRefusedNamingTheShapesItReads() throws Exception {
        for (String shape : new String[] {"tags[x]=a", "tags%5B+%5D=a", "tags[%20]=a", "tags[-1]=a", "tags[0][1]=a", "tags[0]x=a"}) {
            Api.Answer refused = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&" + shape);
            assertThat(refused.status()).as(shape).isEqualTo(400);
            assertThat(refused.body().get("invalidElements").toString()).as(shape).isEqualTo("[\"tags\"]");
            assertThat(refused.body().get("detail").asText()).as(shape).contains("tags[]=a").contains("tags[0]=a");
        }
        for (String mixed : new String[] {"tags[]=a&tags[0]=b", "tags[0]=a&tags[]=b", "tags[0]=a&tags[0]=b"}) {
            Api.Answer refused = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&" + mixed);
            assertThat(refused.status()).as(mixed).isEqualTo(400);
            assertThat(refused.body().get("invalidElements").toString()).as(mixed).isEqualTo("[\"tags\"]");
        }
        assertThat(running.app().service().store().size()).isZero();
        Api.Answer numbered = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&customSlug=n"
                + "&tags[0]=a&tags[1]=b&tags[10]=c");
        assertThat(numbered.status()).as(String.valueOf(numbered.body())).isEqualTo(200);
        assertThat(running.app().service().store().lookup("n").tags()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void anEmptyFieldClearsInAnEditAndIsLeftOutInACreate() throws Exception {
        Api.Answer created = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2Fc&customSlug=c"
                + "&title=Kept&maxVisits=9&validSince=2026-01-01&validUntil=2030-01-01&tags[]=t&crawlable=on&password=long-enough-secret");
        assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(200);
        Api.Answer untouched = send("PATCH", "/rest/v3/short-urls/c", FORM, "longUrl=https%3A%2F%2Fexample.com%2Fd");
        assertThat(untouched.status()).isEqualTo(200);
        Link kept = running.app().service().store().lookup("c");
        assertThat(kept.title()).as("a field left out is kept").isEqualTo("Kept");
        assertThat(kept.maxVisits()).isEqualTo(9);
        assertThat(kept.passwordHash()).isNotNull();

        Api.Answer cleared = send("PATCH", "/rest/v3/short-urls/c", FORM, "title=&maxVisits=&validSince=&validUntil=&tags[]=&password=");
        assertThat(cleared.status()).as(String.valueOf(cleared.body())).isEqualTo(200);
        Link link = running.app().service().store().lookup("c");
        assertThat(link.title()).isNull();
        assertThat(link.maxVisits()).isNull();
        assertThat(link.validSince()).isNull();
        assertThat(link.validUntil()).isNull();
        assertThat(link.tags()).isEmpty();
        assertThat(link.passwordHash()).as("a blank password box takes no password off").isNotNull();
        assertThat(link.crawlable()).as("not sent, kept").isTrue();
        assertThat(link.longUrl()).isEqualTo("https://example.com/d");

        Api.Answer leftOut = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2Fe&customSlug=e"
                + "&maxVisits=&validUntil=&crawlable=&forwardQuery=");
        assertThat(leftOut.status()).as(String.valueOf(leftOut.body())).isEqualTo(200);
        assertThat(running.app().service().store().lookup("e").maxVisits()).isNull();
        assertThat(running.app().service().store().lookup("e").forwardQuery()).as("the default").isTrue();
    }

    @Test
    void aValueThatIsNotValidEncodingIsRefusedNamingItsFieldAndWhatToSend() throws Exception {
        Api.Answer utf8 = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&title=%C3");
        assertThat(utf8.status()).isEqualTo(400);
        assertThat(utf8.body().get("invalidElements").toString()).isEqualTo("[\"title\"]");
        assertThat(utf8.body().get("detail").asText()).isEqualTo("the form's field title is not valid UTF-8, the charset a form"
                + " without one is read in; declare its charset, e.g. Content-Type: application/x-www-form-urlencoded;"
                + " charset=ISO-8859-1");
        Api.Answer latin1 = send("POST", "/rest/v3/short-urls", FORM + "; charset=ISO-8859-1",
                "longUrl=https%3A%2F%2Fexample.com%2F&customSlug=l&title=caf%E9");
        assertThat(latin1.status()).as(String.valueOf(latin1.body())).isEqualTo(200);
        assertThat(running.app().service().store().lookup("l").title()).isEqualTo("café");

        Api.Answer percent = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&title=100%");
        assertThat(percent.status()).isEqualTo(400);
        assertThat(percent.body().get("invalidElements").toString()).isEqualTo("[\"title\"]");
        assertThat(percent.body().get("detail").asText()).isEqualTo("the form's field title (\"100%\") holds a % not followed"
                + " by two hex digits: a % in a form must be sent as %25");

        Api.Answer plus = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&maxVisits=+5"
                + "&validUntil=2030-01-01T00:00:00+00:00");
        assertThat(plus.status()).isEqualTo(400);
        assertThat(plus.body().get("detail").asText())
                .contains("maxVisits must be a whole number, not a string (\" 5\") (a + in a form is a space: send %2B)")
                .contains("\"2030-01-01T00:00:00 00:00\" (a + in a form is a space: send %2B)");
        Api.Answer noPlus = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&maxVisits=five");
        assertThat(noPlus.body().get("detail").asText()).doesNotContain("%2B");
        Api.Answer encoded = send("POST", "/rest/v3/short-urls", FORM, "longUrl=https%3A%2F%2Fexample.com%2F&customSlug=p"
                + "&validUntil=2030-01-01T00:00:00%2B00:00&title=a+b");
        assertThat(encoded.status()).as(String.valueOf(encoded.body())).isEqualTo(200);
        assertThat(running.app().service().store().lookup("p").title()).isEqualTo("a b");
    }

    private Api.Answer send(String method, String path, String contentType, String body) throws Exception {
        return Api.answer(running.app().send(HttpRequest.newBuilder(running.app().uri(path)).header("X-Api-Key", TestApiKeys.ADMIN)
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body)).build()));
    }
}
