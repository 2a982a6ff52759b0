package gotourl.store.log;

/** Told of each group commit by the writer thread, for metrics; must return quickly. */
@FunctionalInterface
public interface CommitObserver {
    CommitObserver NONE = (records, forceNanos) -> {};

    /** {@code records} were written in one go and forced in {@code forceNanos} (0 when not forced). */
    void committed(int records, long forceNanos);
}
