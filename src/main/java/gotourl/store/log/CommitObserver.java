package gotourl.store.log;

/**
 * Told by the writer thread of each group commit, each force and each compaction, for metrics;
 * must return quickly.
 */
public interface CommitObserver {
    CommitObserver NONE = new CommitObserver() {
        @Override
        public void committed(int records) {}

        @Override
        public void forced(long nanos) {}
    };

    /** {@code records} were written in one go (one group commit). */
    void committed(int records);

    /**
     * The file was forced to disk, which took {@code nanos}: once per group commit in durable mode;
     * in async mode when the flush interval is due, and at the end.
     */
    void forced(long nanos);

    /** A compaction finished ({@code result}) or failed ({@code result} null, the file unchanged). */
    default void compacted(CompactionResult result) {
    }
}
