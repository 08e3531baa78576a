//! Independent jobs spread over the machine's cores, with results in input order.
//!
//! Every parallel phase of a build (chapters, handouts, page streams, compression, the
//! editions side by side) runs on one pool: rayon's global pool, one thread per core.
//! A job that itself runs jobs in parallel (a handout whose pages are compressed in
//! parallel) queues them on the same pool instead of starting threads of its own, so a
//! build never runs more threads than the machine has cores, however the phases nest.
//!
//! Workers take the next job from a shared counter (long chapters do not hold up a whole
//! share of the list) and results are put back in input order, so the output never
//! depends on the number of cores or on timing.

use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `job` over `items` on the pool, with up to one worker per pool thread. Each
/// worker first makes its own state with `init` (a cache that is not shared between
/// threads, say) and passes it to every job it runs: a few states per call, not one per
/// item, so the caches stay warm from job to job.
///
/// A job that panics raises its panic here, as it would without threads.
pub fn map_with<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    job: impl Fn(&mut S, usize, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let workers = rayon::current_num_threads().clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let work = |_| {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, job(&mut state, i, item)));
        }
        done
    };
    let mut results: Vec<(usize, R)> =
        (0..workers).into_par_iter().map(work).flatten_iter().collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Runs `a` and `b`, side by side when a pool thread is free, and returns both results.
pub fn join<A, B>(a: impl FnOnce() -> A + Send, b: impl FnOnce() -> B + Send) -> (A, B)
where
    A: Send,
    B: Send,
{
    rayon::join(a, b)
}

/// Runs `f` on every item of `items` in place, on the pool.
pub fn for_each_mut<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync + Send) {
    items.par_iter_mut().for_each(f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_with_per_worker_state() {
        let items: Vec<u64> = (0..1000).collect();
        let out = map_with(
            &items,
            || 0u64,
            |seen, i, &x| {
                *seen += 1;
                assert_eq!(i as u64, x);
                x * x
            },
        );
        assert_eq!(out, items.iter().map(|x| x * x).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_no_results() {
        let out: Vec<u8> = map_with(&[] as &[u8], || (), |_, _, &x| x);
        assert!(out.is_empty());
    }

    #[test]
    fn nested_jobs_share_the_pool() {
        let outer: Vec<usize> = (0..8).collect();
        let threads = std::sync::Mutex::new(std::collections::HashSet::new());
        let sums = map_with(
            &outer,
            || (),
            |_, _, &n| {
                let inner: Vec<usize> = (0..50).collect();
                map_with(
                    &inner,
                    || (),
                    |_, _, &m| {
                        threads.lock().unwrap().insert(std::thread::current().id());
                        n * m
                    },
                )
                .into_iter()
                .sum::<usize>()
            },
        );
        assert_eq!(sums, outer.iter().map(|n| n * 1225).collect::<Vec<_>>());
        // Only the pool's threads ran jobs: no thread was started for the inner calls.
        assert!(threads.lock().unwrap().len() <= rayon::current_num_threads());
    }

    #[test]
    #[should_panic(expected = "job 7 failed")]
    fn a_panicking_job_panics_the_caller() {
        let items: Vec<usize> = (0..20).collect();
        map_with(
            &items,
            || (),
            |_, i, _| {
                if i == 7 {
                    panic!("job 7 failed");
                }
            },
        );
    }
}
