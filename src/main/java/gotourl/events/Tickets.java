package gotourl.events;

import gotourl.apikey.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time tickets for the live feed: a client holding an API key asks for one
 * ({@code POST /rest/v3/events/tickets} with {@code X-Api-Key}) and a browser's
 * {@code EventSource}, which cannot send headers, connects with {@code ?ticket=...}. So the key
 * never appears in a URL, a log or a browser's history, and the ticket that does is worthless a
 * moment later: it is valid {@link #VALIDITY} and for one connection only. goto keeps only each
 * ticket's SHA-256, as it does API keys, and never logs a ticket (the access log masks it).
 *
 * <p>Thread-safe; {@link #redeem} removes the ticket atomically, so two connections racing with
 * one ticket get one stream between them.
 */
public final class Tickets {
    /** How long a ticket may wait to be used: enough for a page to open its stream, too short to be worth stealing. */
    public static final Duration VALIDITY = Duration.ofSeconds(60);
    /** Tickets outstanding at most; more are refused until some are used or expire (one per page load is plenty). */
    public static final int MAX_OUTSTANDING = 10_000;
    /** 128 random bits, as API keys have. */
    private static final int TICKET_BYTES = 16;

    /** An issued ticket: its value (given to the client once) and when it stops being accepted. */
    public record Ticket(String value, Instant expiresAt) {}

    /** More tickets are outstanding than {@link #MAX_OUTSTANDING}. */
    public static final class TooManyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TooManyException() {
            super(MAX_OUTSTANDING + " live-feed tickets are waiting to be used; use or let expire some ("
                    + VALIDITY.toSeconds() + " s) before asking for more");
        }
    }

    private record Held(ApiKey key, Instant expiresAt) {}

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Held> byHash = new ConcurrentHashMap<>();

    /** @param clock the time tickets are issued and judged at (tests move it) */
    public Tickets(Clock clock) {
        this.clock = clock;
    }

    /**
     * A new ticket for {@code key}, valid {@link #VALIDITY} from now.
     *
     * @throws TooManyException when {@link #MAX_OUTSTANDING} are waiting
     */
    public Ticket issue(ApiKey key) {
        Instant now = clock.instant();
        if (byHash.size() >= MAX_OUTSTANDING) {
            purge(now);
            if (byHash.size() >= MAX_OUTSTANDING) {
                throw new TooManyException();
            }
        }
        byte[] bytes = new byte[TICKET_BYTES];
        random.nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = now.plus(VALIDITY);
        byHash.put(hash(value), new Held(key, expiresAt));
        return new Ticket(value, expiresAt);
    }

    /**
     * The key {@code ticket} was issued for, once: the ticket is gone after this call whatever it
     * returns. Null when it is unknown, used or expired.
     */
    public ApiKey redeem(String ticket) {
        if (ticket == null || ticket.isEmpty() || ticket.length() > 64) {
            return null;
        }
        Held held = byHash.remove(hash(ticket));
        if (held == null || !clock.instant().isBefore(held.expiresAt())) {
            return null;
        }
        return held.key();
    }

    /** Tickets waiting to be used (expired ones included until purged). */
    public int outstanding() {
        return byHash.size();
    }

    private void purge(Instant now) {
        for (Iterator<Held> it = byHash.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next().expiresAt())) {
                it.remove();
            }
        }
    }

    private static String hash(String ticket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
