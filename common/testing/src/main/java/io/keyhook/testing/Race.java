package io.keyhook.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs operations against each other: shuffled (with a fixed seed, so a failing order can be run again), all started at
 * once on a pool, then awaited. The first failure is thrown once every operation has ended.
 */
public final class Race implements AutoCloseable {

    private final ExecutorService pool;
    private final Random random;

    public Race(int threads, long seed) {
        this.pool = Executors.newFixedThreadPool(threads);
        this.random = new Random(seed);
    }

    public void run(List<Runnable> operations) throws InterruptedException, ExecutionException {
        List<Runnable> shuffled = new ArrayList<>(operations);
        Collections.shuffle(shuffled, random);
        List<Future<?>> started = new ArrayList<>();
        for (Runnable op : shuffled) {
            started.add(pool.submit(op));
        }
        ExecutionException first = null;
        for (Future<?> f : started) {
            try {
                f.get();
            } catch (ExecutionException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
