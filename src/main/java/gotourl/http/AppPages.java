package gotourl.http;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web app's pages on the application listener ({@code gotourl.web}): the listener hands them
 * the paths they own and {@code /}, and {@code /add} asks them how to answer a browser's form.
 * Every method is non-blocking: it runs on the selector thread, like the rest of the listener.
 */
public interface AppPages {
    /**
     * True when {@code path} (with its leading slash) is one of the app's pages or assets; called
     * before a path is taken for a short code, so it must cost a few comparisons at most.
     */
    boolean owns(String path);

    /**
     * Answers {@code /} or a path {@link #owns} accepted; returns the HTTP status sent. {@code links}
     * is the open store, asked (on this thread, as a redirect asks it) whether a short code a page
     * would show is one goto holds.
     */
    int page(Request request, Response response, Callback callback, gotourl.store.LinkStore links);

    /**
     * True when {@code /add}'s request comes from a browser showing a page ({@code Accept} names
     * {@code text/html}, as a form's navigation does): it is answered with pages, not text. The
     * seed's clients (curl, scripts) never ask for HTML and keep their text answers.
     */
    boolean wantsPage(Request request);

    /** A link was created for a browser's form: 303 See Other to the page that shows it (RFC 9110 §15.4.4). */
    int created(Request request, Response response, Callback callback, String shortCode);

    /** The form's URL was refused: the form again, with {@code problem} and the {@code url} typed, under {@code status}. */
    int refused(Request request, Response response, Callback callback, int status, String problem, String url);
}
