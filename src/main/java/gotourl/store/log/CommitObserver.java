package gotourl.store.log;

/** Told of each group commit and each compaction, for metrics; must return quickly. */
@FunctionalInterface
public interface CommitObserver {
    CommitObserver NONE = (records, forceNanos) -> {};

    /** {@code records} were written in one go and forced in {@code forceNanos} (0 when not forced). */
    void committed(int records, long forceNanos);

    /** A compaction finished ({@code result}) or failed ({@code result} null, the file unchanged). */
    default void compacted(CompactionResult result) {
    }
}
