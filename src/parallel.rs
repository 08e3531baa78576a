//! Independent jobs spread over the machine's cores, with results in input order.
//!
//! Chapters and handouts are set independently once the page geometry is fixed, so the
//! build hands them to a few worker threads. Workers take the next job from a shared
//! counter (long chapters do not hold up a whole share of the list) and results are put
//! back in input order, so the output never depends on the number of cores or on timing.
//! A crate such as rayon does this and more, but this is all quire needs: one scoped
//! spawn per core, no pool kept alive between builds.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `job` over `items` on up to `available_parallelism` threads. Each worker first
/// makes its own state with `init` (a cache that is not shared between threads, say) and
/// passes it to every job it runs.
///
/// A job that panics takes its worker down and the panic is raised again here, as it
/// would be without threads.
pub fn map_with<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    job: impl Fn(&mut S, usize, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, job(&mut state, i, item)));
        }
        done
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        let mut all = work();
        for handle in handles {
            match handle.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
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
