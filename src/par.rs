//! Mapping a slice on several threads, keeping the input order, for the commands that work
//! on many independent items (policies, principals, documents, report entries).
//!
//! Work is handed out one item at a time, so a slow item does not hold up a whole chunk. A
//! panic in a worker is re-raised in the caller: a result is never dropped silently.

/// The number of cores available to this process (at least 1).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Maps `items` on every available core, keeping the input order in the result.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    map_on(items, cores(), f)
}

/// Maps `items` on up to `threads` threads, keeping the input order in the result; on the
/// calling thread alone when `threads` is 1 or there is at most one item.
pub fn map_on<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        out.push((i, f(item)));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    // Each worker's results are in ascending order: put them back by index.
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.into_iter().flatten() {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(r);
        }
    }
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_on_any_number_of_threads() {
        let v: Vec<u32> = (0..1000).collect();
        let want: Vec<u32> = v.iter().map(|x| x * 2).collect();
        assert_eq!(map(&v, |x| x * 2), want);
        for t in [0, 1, 2, 3, 64] {
            assert_eq!(map_on(&v, t, |x| x * 2), want, "{t}");
        }
        assert!(map_on(&[] as &[u32], 4, |x| *x).is_empty());
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_worker_panic_reaches_the_caller() {
        let v: Vec<u32> = (0..100).collect();
        let _ = map_on(&v, 2, |&x| {
            assert!(x != 57, "boom");
            x
        });
    }
}
