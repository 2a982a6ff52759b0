package gotourl.porting;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import gotourl.link.Link;
import gotourl.link.LinkDraft;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An import into a running goto through its REST API: links sent {@value #BATCH} at a time to
 * goto's batch create ({@code POST /rest/v3/short-urls/batch}), with the API key in the
 * {@code X-Api-Key} header. The API makes each link as a create does: its short code is kept (as
 * a custom slug) and its fields, but its creation time is the server's, as in Shlink's API.
 *
 * <p>Idempotent as the file import: every link is sent with {@code findIfExists}, so a link this
 * key made before (the same code, long URL and fields) comes back as it is, and counts as
 * unchanged when it is older than the batch (the API's dates are to the second: a link made by
 * an earlier run within the same second counts as added, though nothing was written). A code the
 * server refuses as taken is looked up ({@code GET /rest/v3/short-urls/{code}}), and is unchanged
 * when it goes to the same long URL (a link imported into the file, or by another key). A busy server (503) is asked again after its Retry-After, a few times;
 * any other refusal of a whole batch (a bad key, 401) stops the import with the server's words.
 */
final class ApiTarget implements ImportTarget {
    /** The most one batch call takes (goto's {@code LinkStore.MAX_BATCH}). */
    static final int BATCH = 1_000;
    private static final int BUSY_RETRIES = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private record Item(long line, Link link, LinkDraft draft) {}

    private final URI base;
    private final String apiKey;
    private final Results results;
    private final HttpClient http;
    private final List<Item> batch = new ArrayList<>();
    /**
     * The codes counted as added whose creation second is {@link #addedSecond}: a URL given twice
     * comes back twice as the same link made in this second, which counts once as added and then
     * as unchanged. Only the latest second is kept (a link of an earlier second is older than any
     * later batch, and counts as unchanged by its date), so this holds at most a second's links.
     */
    private final java.util.Set<String> addedThisSecond = new java.util.HashSet<>();
    private Instant addedSecond;

    ApiTarget(URI base, String apiKey, Results results) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.apiKey = apiKey;
        this.results = results;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public void put(long line, Link link, LinkDraft draft, Instant created) throws IOException {
        batch.add(new Item(line, link, draft));
        if (batch.size() == BATCH) {
            send();
        }
    }

    /** False: no API call moves a server's key counter (its keys are handed out by it alone). */
    @Override
    public boolean reserveThrough(long nextCounter) {
        return false;
    }

    @Override
    public void finish() throws IOException {
        if (!batch.isEmpty()) {
            send();
        }
    }

    /** True the first time {@code code}, made at {@code created}, is counted in its second (see {@link #addedThisSecond}). */
    private boolean firstAddedOf(Instant created, String code) {
        if (!created.equals(addedSecond)) {
            addedThisSecond.clear();
            addedSecond = created;
        }
        return addedThisSecond.add(code);
    }

    private void send() throws IOException {
        Instant sent = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JsonNode answer = ExportFormat.MAPPER.readTree(call("POST", "rest/v3/short-urls/batch", body(), 200));
        JsonNode items = answer.get("results");
        if (items == null || items.size() != batch.size()) {
            throw new IOException("the batch API answered " + (items == null ? "no results" : items.size() + " results for "
                    + batch.size() + " links") + "; is " + base + " a goto?");
        }
        for (int i = 0; i < batch.size(); i++) {
            Item item = batch.get(i);
            JsonNode result = items.get(i);
            if (result.path("status").asInt() == 200) {
                JsonNode shortUrl = result.get("shortUrl");
                String code = shortUrl.path("shortCode").asText();
                Instant created = Dates.parse("dateCreated", shortUrl.path("dateCreated").asText(null));
                if (created != null && created.isBefore(sent)) {
                    results.unchanged(item.line(), code);
                } else if (created != null && !firstAddedOf(created, code)) {
                    results.unchanged(item.line(), code);
                } else if (item.link() != null && item.link().hasRedirectRules()) {
                    addedWithRules(item, code);
                } else {
                    results.added(item.line());
                }
                continue;
            }
            JsonNode error = result.path("error");
            String detail = error.path("detail").asText("refused with status " + result.path("status").asInt());
            if (error.path("type").asText().endsWith("non-unique-slug") && item.link() != null) {
                String existing = longUrlOf(item.link().shortCode());
                if (item.link().longUrl().equals(existing)) {
                    results.unchanged(item.line(), item.link().shortCode());
                } else {
                    results.conflict(item.line(), "the short code '" + item.link().shortCode() + "' is in use"
                            + (existing == null ? "" : " by a link to " + existing) + " (" + detail + ")");
                }
            } else {
                results.invalid(item.line(), detail);
            }
        }
        batch.clear();
    }

    /**
     * A link just created that has redirect rules: they are set by Shlink's
     * {@code POST /short-urls/{shortCode}/redirect-rules}, which the batch API does not take. A
     * link found unchanged keeps the rules it has on the server. When the server refuses the rules
     * (a rule's long URL pointing at that goto, which only the server can tell), the link just
     * created is deleted again ({@code DELETE /short-urls/{shortCode}}; a deleted custom slug can
     * be claimed again), so that the line is skipped whole, as a file import skips it: left
     * there, the link would redirect every visitor to its own long URL, and a second run would
     * find it already there, count it unchanged and never set its rules.
     */
    private void addedWithRules(Item item, String code) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = ExportFormat.MAPPER.createGenerator(bytes)) {
            json.writeStartObject();
            PortableRules.write(json, item.link().redirectRules());
            json.writeEndObject();
        }
        try {
            call("POST", "rest/v3/short-urls/" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "/redirect-rules",
                    bytes.toByteArray(), 200);
            results.added(item.line());
        } catch (IOException refused) {
            try {
                call("DELETE", "rest/v3/short-urls/" + URLEncoder.encode(code, StandardCharsets.UTF_8), null, 204, 404);
            } catch (IOException undeleted) {
                results.invalid(item.line(), "the link '" + code + "' was created without its redirect rules, which " + base
                        + " refused: " + refused.getMessage() + "; deleting it again failed too (" + undeleted.getMessage()
                        + "): delete it, or set its rules, by hand");
                return;
            }
            results.invalid(item.line(), "redirectRules: " + base + " refused them, so the link '" + code
                    + "' is not imported: " + refused.getMessage());
        }
    }

    private byte[] body() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * batch.size());
        try (JsonGenerator json = ExportFormat.MAPPER.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeArrayFieldStart("shortUrls");
            for (Item item : batch) {
                LinkDraft draft = item.draft();
                json.writeStartObject();
                json.writeStringField("longUrl", draft.longUrl());
                if (item.link() != null) {
                    json.writeStringField("customSlug", item.link().shortCode());
                }
                // A link this key imported before comes back as it is, neither created again nor refused.
                json.writeBooleanField("findIfExists", true);
                if (draft.title() != null) {
                    json.writeStringField("title", draft.title());
                }
                json.writeArrayFieldStart("tags");
                for (String tag : draft.tags()) {
                    json.writeString(tag);
                }
                json.writeEndArray();
                if (draft.validSince() != null) {
                    json.writeStringField("validSince", Dates.format(draft.validSince()));
                }
                if (draft.validUntil() != null) {
                    json.writeStringField("validUntil", Dates.format(draft.validUntil()));
                }
                if (draft.maxVisits() != null) {
                    json.writeNumberField("maxVisits", draft.maxVisits());
                }
                json.writeBooleanField("crawlable", draft.crawlable());
                json.writeBooleanField("forwardQuery", draft.forwardQuery());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /** The long URL of the link under {@code code} on the server, or null if it has none. */
    private String longUrlOf(String code) throws IOException {
        byte[] answer = call("GET", "rest/v3/short-urls/" + URLEncoder.encode(code, StandardCharsets.UTF_8), null, 200, 404);
        JsonNode link = ExportFormat.MAPPER.readTree(answer);
        return link.hasNonNull("longUrl") ? link.get("longUrl").asText() : null;
    }

    private byte[] call(String method, String path, byte[] body, int... expected) throws IOException {
        URI uri = base.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("X-Api-Key", apiKey)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        for (int attempt = 0; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + uri, e);
            } catch (java.net.ConnectException e) {
                throw new IOException("cannot connect to " + uri + ": is goto running there?", e);
            }
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return response.body();
                }
            }
            if (response.statusCode() == 503 && attempt < BUSY_RETRIES) {
                sleep(response.headers().firstValueAsLong("Retry-After").orElse(1));
                continue;
            }
            String detail = new String(response.body(), StandardCharsets.UTF_8);
            try {
                JsonNode problem = ExportFormat.MAPPER.readTree(detail);
                if (problem != null && problem.hasNonNull("detail")) {
                    detail = problem.get("detail").asText();
                }
            } catch (IOException notJson) {
                detail = Dates.abbreviate(detail.strip());
            }
            throw new IOException(method + " " + uri + " answered " + response.statusCode() + ": " + detail);
        }
    }

    private static void sleep(long seconds) throws IOException {
        try {
            Thread.sleep(Duration.ofSeconds(Math.min(Math.max(seconds, 1), 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the server was busy", e);
        }
    }

    @Override
    public String describe() {
        return base.toString();
    }

    @Override
    public void close() {
        http.close();
    }
}
