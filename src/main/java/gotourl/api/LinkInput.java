package gotourl.api;

import com.fasterxml.jackson.databind.JsonNode;
import gotourl.link.LinkDraft;
import gotourl.link.LinkEdit;
import gotourl.link.LongUrlRules;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON body turned into a {@link LinkDraft} (Shlink's {@code ShortUrlCreation}) or a
 * {@link LinkEdit} ({@code ShortUrlEdition}), field by field, with each bad field named: the
 * problem is Shlink's {@code invalid-data} with {@code invalidElements}, and its detail says what
 * is wrong with each. The long URL is checked by the same rules and messages as {@code /add}.
 * Fields goto does not know are ignored, as Shlink ignores them.
 */
final class LinkInput {
    private final JsonNode body;
    /** The form {@code body} was sent as, or null for JSON: it adds to a refusal's words. */
    private final FormBody form;
    private final Map<String, String> problems = new LinkedHashMap<>();

    private LinkInput(JsonNode body, FormBody form) {
        this.body = body;
        this.form = form;
    }

    /** The draft JSON {@code body} asks for, created by the key {@code author}; throws {@link Problem}. */
    static LinkDraft draft(JsonNode body, LongUrlRules rules, String author, String ownDomain) {
        return draft(body, null, rules, author, ownDomain);
    }

    /**
     * The draft {@code body} asks for, sent as {@code form} (null for JSON), created by the key
     * {@code author}; throws {@link Problem}. A field left out or null (a form's empty field)
     * takes its default.
     */
    static LinkDraft draft(JsonNode body, FormBody form, LongUrlRules rules, String author, String ownDomain) {
        LinkInput in = new LinkInput(requireObject(body), form);
        String longUrl = in.longUrl(rules, true);
        String slug = in.string("customSlug");
        Integer length = in.integer("shortCodeLength");
        String title = in.string("title");
        List<String> tags = in.tags();
        Instant since = in.date("validSince");
        Instant until = in.date("validUntil");
        Integer maxVisits = in.integer("maxVisits");
        Boolean crawlable = in.bool("crawlable");
        Boolean forwardQuery = in.bool("forwardQuery");
        Boolean find = in.bool("findIfExists");
        String domain = in.string("domain");
        if (domain != null && !domain.equalsIgnoreCase(ownDomain) && !domain.equals("DEFAULT")) {
            in.problems.put("domain", "goto serves one domain, " + ownDomain + "; leave domain out or give that one");
        }
        in.password(false);
        if (in.string("pathPrefix") != null) {
            in.problems.put("pathPrefix", "goto does not support path prefixes; put the prefix in customSlug");
        }
        in.throwIfAny();
        // Shlink ignores shortCodeLength when a custom slug is given.
        Integer codeLength = slug == null ? length : null;
        try {
            // One draft, checked once: the field-by-field build below (a new draft, and every rule
            // checked again, per field set) is only needed to name the field a refusal is about.
            return new LinkDraft(longUrl, slug, codeLength, title, gotourl.link.Tags.normalize(tags), since, until, maxVisits,
                    crawlable != null && crawlable, forwardQuery == null || forwardQuery, author, find != null && find, null);
        } catch (IllegalArgumentException refused) {
            return in.draftFieldByField(longUrl, slug, codeLength, title, tags, since, until, maxVisits, crawlable, forwardQuery,
                    find, author);
        }
    }

    /** The draft built one field at a time, so that each refusal names its field; throws {@link Problem}. */
    private LinkDraft draftFieldByField(String longUrl, String slug, Integer length, String title, List<String> tags, Instant since,
                                        Instant until, Integer maxVisits, Boolean crawlable, Boolean forwardQuery, Boolean find,
                                        String author) {
        LinkDraft draft = LinkDraft.of(longUrl);
        try {
            if (slug != null) {
                draft = draft.withCustomSlug(slug);
            }
        } catch (IllegalArgumentException e) {
            problems.put("customSlug", e.getMessage());
        }
        if (length != null) { // null when a custom slug is given
            draft = check("shortCodeLength", draft, d -> d.withShortCodeLength(length));
        }
        draft = check("title", draft, d -> d.withTitle(title));
        draft = check("tags", draft, d -> d.withTags(tags));
        draft = check("validSince", draft, d -> d.withValidSince(since));
        draft = check("validUntil", draft, d -> d.withValidUntil(until));
        draft = check("maxVisits", draft, d -> d.withMaxVisits(maxVisits));
        draft = draft.withCrawlable(crawlable != null && crawlable)
                .withForwardQuery(forwardQuery == null || forwardQuery)
                .withFindIfExists(find != null && find);
        draft = check("author", draft, d -> d.withAuthor(author));
        throwIfAny();
        return draft;
    }

    /**
     * The edit {@code body} asks for, sent as {@code form} (null for JSON): only the fields it
     * names, a null one (a form's empty field) cleared, as Shlink's {@code ShortUrlEdition} clears
     * a field that is there ({@code array_key_exists}) with no value; throws {@link Problem}.
     */
    static LinkEdit edit(JsonNode body, FormBody form, LongUrlRules rules) {
        LinkInput in = new LinkInput(requireObject(body), form);
        LinkEdit edit = LinkEdit.none();
        if (in.present("longUrl")) {
            String url = in.longUrl(rules, false);
            if (url != null) {
                edit = in.checkEdit("longUrl", edit, e -> e.longUrl(url));
            }
        }
        if (in.present("title")) {
            String title = in.string("title");
            edit = in.checkEdit("title", edit, e -> e.title(title));
        }
        if (in.present("tags")) {
            List<String> tags = in.tags();
            edit = in.checkEdit("tags", edit, e -> e.tags(tags));
        }
        if (in.present("validSince")) {
            Instant since = in.date("validSince");
            edit = in.checkEdit("validSince", edit, e -> e.validSince(since));
        }
        if (in.present("validUntil")) {
            Instant until = in.date("validUntil");
            edit = in.checkEdit("validUntil", edit, e -> e.validUntil(until));
        }
        if (in.present("maxVisits")) {
            Integer max = in.integer("maxVisits");
            edit = in.checkEdit("maxVisits", edit, e -> e.maxVisits(max));
        }
        if (in.present("crawlable")) {
            Boolean crawlable = in.bool("crawlable");
            edit = in.checkEdit("crawlable", edit, e -> e.crawlable(crawlable != null && crawlable));
        }
        if (in.present("forwardQuery")) {
            Boolean forward = in.bool("forwardQuery");
            edit = in.checkEdit("forwardQuery", edit, e -> e.forwardQuery(forward == null || forward));
        }
        if (in.present("password") && in.password(true) == null && !in.problems.containsKey("password")) {
            edit = edit.passwordHash(null); // null removes the password; a new one is hashed by the caller
        }
        in.throwIfAny();
        return edit;
    }

    /**
     * The password {@code body} sets (write-only: never echoed), or null when it sets none or
     * (in an edit) removes it; call after {@link #draft} or {@link #edit} have checked it.
     */
    static String password(JsonNode body) {
        JsonNode node = body.get("password");
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** Checks the {@code password} field: a string of {@link gotourl.protect.Passwords#MIN_CHARS} or more characters, or null. */
    private String password(boolean edit) {
        JsonNode node = body.get("password");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.put("password", "password must be a string" + (edit ? ", or null to remove it," : "") + " not " + kind(node));
            return null;
        }
        String problem = gotourl.protect.Passwords.problem(node.textValue());
        if (problem != null) {
            problems.put("password", problem);
            return null;
        }
        return node.textValue();
    }

    static JsonNode requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Problem.malformedBody("the body must be a JSON object, not " + (body == null ? "nothing" : kind(body)));
        }
        return body;
    }

    private boolean present(String field) {
        return body.has(field);
    }

    private String longUrl(LongUrlRules rules, boolean required) {
        JsonNode node = body.get("longUrl");
        if (node == null || node.isNull()) {
            if (required) {
                problems.put("longUrl", "longUrl is required: the URL to shorten");
            } else {
                problems.put("longUrl", "longUrl cannot be null; leave it out to keep the link's long URL");
            }
            return null;
        }
        if (!node.isTextual()) {
            problems.put("longUrl", "longUrl must be a string, not " + kind(node));
            return null;
        }
        if (node.textValue().isBlank()) { // LongUrlRules' words name /add's form field 'url'
            problems.put("longUrl", "longUrl is empty: give the URL to shorten, e.g. \"longUrl\": \"https://example.com/page\"");
            return null;
        }
        LongUrlRules.Verdict verdict = rules.check(node.textValue());
        if (!verdict.accepted()) {
            problems.put("longUrl", verdict.problem());
            return null;
        }
        return verdict.url();
    }

    private String string(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.put(field, field + " must be a string, not " + kind(node));
            return null;
        }
        return node.textValue();
    }

    private Integer integer(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual() && node.textValue().matches("-?[0-9]{1,9}")) {
            return Integer.parseInt(node.textValue());
        }
        problems.put(field, field + " must be a whole number, not " + kind(node));
        return null;
    }

    private Boolean bool(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
            return Boolean.parseBoolean(node.textValue());
        }
        problems.put(field, field + " must be true or false" + (form == null ? "" : ", in a form " + FormBody.BOOLEAN_SPELLINGS)
                + ", not " + kind(node));
        return null;
    }

    private Instant date(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problems.put(field, field + " must be an ISO-8601 date string, not " + kind(node));
            return null;
        }
        try {
            return parseDate(node.textValue());
        } catch (DateTimeParseException e) {
            problems.put(field, field + " must be an ISO-8601 date of a four-digit year (0000 to 9999), such as 2026-01-31T12:00:00+00:00, not \""
                    + abbreviate(node.textValue()) + "\"");
            return null;
        }
    }

    private List<String> tags() {
        JsonNode node = body.get("tags");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.put("tags", "tags must be an array of strings, not " + kind(node));
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : node) {
            if (!tag.isTextual()) {
                problems.put("tags", "tags must be an array of strings; it holds " + kind(tag));
                return List.of();
            }
            tags.add(tag.textValue());
        }
        return tags;
    }

    /**
     * An ISO-8601 date as Shlink takes it: with an offset ({@code 2026-01-31T12:00:00+02:00}, or
     * {@code Z}), without one (read as UTC), or a bare day (its start, UTC).
     */
    static Instant parseDate(String text) {
        String trimmed = text.trim();
        Instant date;
        try {
            date = OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                date = LocalDateTime.parse(trimmed).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDateTime) {
                date = LocalDate.parse(trimmed).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
        // Within RFC 3339's four-digit years, as Link holds them: a date near Instant's limits
        // would overflow the milliseconds a record keeps.
        if (!gotourl.link.Link.isSupportedDate(date)) {
            throw new DateTimeParseException("a date past four-digit years (0000 to 9999)", trimmed, 0);
        }
        return date;
    }

    private LinkDraft check(String field, LinkDraft draft, java.util.function.UnaryOperator<LinkDraft> change) {
        if (problems.containsKey(field)) {
            return draft;
        }
        try {
            return change.apply(draft);
        } catch (IllegalArgumentException e) {
            // validUntil before validSince is found when the second is set: name both, as Shlink does.
            problems.put(field, e.getMessage());
            return draft;
        }
    }

    private LinkEdit checkEdit(String field, LinkEdit edit, java.util.function.UnaryOperator<LinkEdit> change) {
        if (problems.containsKey(field)) {
            return edit;
        }
        try {
            return change.apply(edit);
        } catch (IllegalArgumentException e) {
            problems.put(field, e.getMessage());
            return edit;
        }
    }

    private void throwIfAny() {
        if (!problems.isEmpty()) {
            StringBuilder detail = new StringBuilder("Provided data is not valid: ");
            problems.forEach((field, problem) -> detail.append(field).append(": ").append(problem)
                    .append(form == null ? "" : form.hint(field)).append("; "));
            detail.setLength(detail.length() - 2);
            throw Problem.invalidData(detail.toString(), List.copyOf(problems.keySet()));
        }
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean (" + node.booleanValue() + ")";
            case NUMBER -> "a number (" + node.asText() + ")";
            case STRING -> "a string (\"" + abbreviate(node.textValue()) + "\")";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
