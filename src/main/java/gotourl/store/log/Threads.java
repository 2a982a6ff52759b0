package gotourl.store.log;

/** Waiting for the store's short-lived helper threads (a background force, an image's checksum). */
final class Threads {
    private Threads() {}

    /**
     * Waits until {@code thread} has ended, even if the caller is interrupted meanwhile (its
     * interrupt is kept and set again on return): the thread's work (a force, a read) cannot be
     * called back, and its owner must not go on before it ends. Returns at once for a thread
     * never started or already ended.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
