package gotourl.store.log;

import gotourl.link.LongUrls;
import gotourl.link.RedirectCondition;
import gotourl.link.RedirectRule;
import gotourl.link.RedirectRules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The redirect rules record (docs/FORMAT.md, type 11): a link's whole list of redirect rules from
 * then on, as Shlink 4's {@code POST /short-urls/{shortCode}/redirect-rules} sets it (none: the
 * rules are removed). Body: type, the time it was set (u64 ms), the code (u8 length, ASCII), the
 * number of rules (u8), then each rule: its long URL (u16 length, ASCII), its number of conditions
 * (u8), and each condition: its type (u8, {@link #typeCode}), a flags byte (key present, value
 * present) and the present key and value (u16 length, UTF-8 each). Compaction writes one after the
 * record of each link that has rules.
 */
final class RuleRecords {
    static final int HAS_KEY = 1;
    static final int HAS_VALUE = 1 << 1;
    private static final int KNOWN_FLAGS = HAS_KEY | HAS_VALUE;
    /** The condition types by their number in a record (index 0 unused): never renumbered. */
    private static final RedirectCondition.Type[] TYPES = {null, RedirectCondition.Type.DEVICE, RedirectCondition.Type.LANGUAGE,
            RedirectCondition.Type.QUERY_PARAM, RedirectCondition.Type.ANY_VALUE_QUERY_PARAM,
            RedirectCondition.Type.VALUELESS_QUERY_PARAM, RedirectCondition.Type.IP_ADDRESS};

    private RuleRecords() {}

    /** A record's content: the code it names and the rules it sets. */
    record Set(String shortCode, RedirectRules rules) {}

    /** The bytes a record setting {@code rules} on {@code code} takes, frame included. */
    static int frameBytes(String code, RedirectRules rules) {
        int bytes = LogFormat.FRAME_BYTES + 1 + 8 + 1 + code.length() + 1;
        for (RedirectRule rule : rules.rules()) {
            bytes += 2 + rule.longUrl().length() + 1;
            for (RedirectCondition condition : rule.conditions()) {
                bytes += 2 + textBytes(condition.matchKey()) + textBytes(condition.matchValue());
            }
        }
        return bytes;
    }

    /** What a link's rules take in a compacted file: their record, or nothing when it has none. */
    static long liveBytes(String code, RedirectRules rules) {
        return rules.isEmpty() ? 0 : frameBytes(code, rules);
    }

    private static int textBytes(String text) {
        return text == null ? 0 : 2 + text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The number of {@code type} in a record. */
    static int typeCode(RedirectCondition.Type type) {
        for (int i = 1; i < TYPES.length; i++) {
            if (TYPES[i] == type) {
                return i;
            }
        }
        throw new IllegalArgumentException("the redirect condition type " + type.wire + " is not one goto stores");
    }

    /** Appends a {@link LogFormat#REDIRECT_RULES} record setting {@code rules} on {@code code} at {@code timeMillis}. */
    static void put(ByteBuffer out, CRC32C crc, long timeMillis, String code, RedirectRules rules) {
        int start = out.position();
        out.position(start + LogFormat.FRAME_BYTES);
        out.put(LogFormat.REDIRECT_RULES).putLong(timeMillis).put((byte) code.length());
        LogFormat.putAscii(out, code);
        out.put((byte) rules.rules().size());
        for (RedirectRule rule : rules.rules()) {
            out.putShort((short) rule.longUrl().length());
            LogFormat.putAscii(out, rule.longUrl());
            out.put((byte) rule.conditions().size());
            for (RedirectCondition condition : rule.conditions()) {
                int flags = (condition.matchKey() != null ? HAS_KEY : 0) | (condition.matchValue() != null ? HAS_VALUE : 0);
                out.put((byte) typeCode(condition.type())).put((byte) flags);
                putText(out, condition.matchKey());
                putText(out, condition.matchValue());
            }
        }
        LogFormat.seal(out, crc, start);
    }

    private static void putText(ByteBuffer out, String text) {
        if (text != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.putShort((short) bytes.length).put(bytes);
        }
    }

    /** Reads a {@link LogFormat#REDIRECT_RULES} body, checking the rules as the API does. */
    static Set read(LinkRecords.Body body) throws LogFormatException {
        LinkRecords.Cursor in = new LinkRecords.Cursor(body, "redirect rules");
        in.skip(1 + 8);
        String code = in.ascii(in.get());
        if (code.isEmpty()) {
            throw body.malformed("redirect rules", "no short code");
        }
        int ruleCount = in.get();
        List<RedirectRule> rules = new ArrayList<>(ruleCount);
        try {
            for (int r = 0; r < ruleCount; r++) {
                String url = in.ascii(in.getShort());
                String unfit = LongUrls.problem(url);
                if (unfit != null) {
                    throw body.malformed("redirect rules", unfit);
                }
                int conditionCount = in.get();
                List<RedirectCondition> conditions = new ArrayList<>(conditionCount);
                for (int c = 0; c < conditionCount; c++) {
                    int type = in.get();
                    int flags = in.get();
                    if (type == 0 || type >= TYPES.length || (flags & ~KNOWN_FLAGS) != 0) {
                        throw new LogFormatException(body.file(), body.recordOffset(), "a redirect rules record has a condition"
                                + " this goto does not know (type " + type + ", flags 0x" + Integer.toHexString(flags)
                                + "): a newer goto wrote it; upgrade goto");
                    }
                    String key = (flags & HAS_KEY) != 0 ? in.utf8(in.getShort()) : null;
                    String value = (flags & HAS_VALUE) != 0 ? in.utf8(in.getShort()) : null;
                    conditions.add(new RedirectCondition(TYPES[type], key, value));
                }
                rules.add(new RedirectRule(url, conditions));
            }
            in.end();
            return new Set(code, new RedirectRules(rules));
        } catch (IllegalArgumentException e) {
            throw body.malformed("redirect rules", e.getMessage());
        }
    }
}
