//! Mapping a slice on several threads, keeping the input order, for the commands that work
//! on many independent items (policies, principals, documents, report entries).
//!
//! Work is handed out one item at a time, so a slow item does not hold up a whole chunk. A
//! panic in a worker is re-raised in the caller: a result is never dropped silently.

/// The number of cores available to this process (at least 1).
pub fn cores() -> usize {
    // (read once: the standard library reads the cgroup files on every call)
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
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
    let parts: std::sync::Mutex<Vec<Vec<(usize, R)>>> =
        std::sync::Mutex::new(Vec::with_capacity(threads));
    // (on the process's pool: a panic in a task is raised again here)
    rayon::in_place_scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| {
                let mut out = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    out.push((i, f(item)));
                }
                if let Ok(mut p) = parts.lock() {
                    p.push(out);
                }
            });
        }
    });
    let parts = parts.into_inner().unwrap_or_else(|e| e.into_inner());
    // Each worker's results are in ascending order: put them back by index.
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.into_iter().flatten() {
        if let Some(slot) = slots.get_mut(i) {
            *slot = Some(r);
        }
    }
    slots.into_iter().flatten().collect()
}

/// Renders `items` on up to `threads` threads and writes each one's text to `out` in input
/// order, as soon as the ones before it are written. A large report goes out while the rest
/// is still being rendered, through a few buffers that are reused, instead of one fresh
/// string per part kept until the end (touching fresh memory costs about as much as the
/// rendering). The renderer that finishes the next part to write writes it, and the parts
/// after it that are ready: the calling thread only waits for the end (handing every part to
/// it woke it once per part, a context switch each on a busy machine). After a write error
/// nothing more is written or rendered, and the error is returned.
pub fn write_ordered<T, F>(
    items: &[T],
    threads: usize,
    render: F,
    out: &mut (dyn std::io::Write + Send),
) -> std::io::Result<()>
where
    T: Sync,
    F: Fn(&T, &mut String) + Sync,
{
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let threads = threads.min(items.len());
    if threads <= 1 {
        let mut buf = String::new();
        for item in items {
            buf.clear();
            render(item, &mut buf);
            out.write_all(buf.as_bytes())?;
        }
        return Ok(());
    }
    /// What the renderers share: the next part to write, the parts rendered before their turn
    /// (by index), buffers written already (for the next parts), the output and its result.
    struct Ordered<'a> {
        want: usize,
        waiting: std::collections::BTreeMap<usize, String>,
        spare: Vec<String>,
        out: &'a mut (dyn std::io::Write + Send),
        result: std::io::Result<()>,
    }
    impl Ordered<'_> {
        fn write(&mut self, buf: &str, stop: &AtomicBool) {
            if self.result.is_ok() {
                self.result = self.out.write_all(buf.as_bytes());
                if self.result.is_err() {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            self.want += 1;
        }
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let state = std::sync::Mutex::new(Ordered {
        want: 0,
        waiting: Default::default(),
        spare: Vec::new(),
        out,
        result: Ok(()),
    });
    // (rendered and written on the process's pool; a panic in a renderer is raised here)
    rayon::in_place_scope(|s| {
        for _ in 0..threads {
            let (next, stop, state, render) = (&next, &stop, &state, &render);
            s.spawn(move |_| {
                let mut buf = String::new();
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    buf.clear();
                    render(item, &mut buf);
                    let Ok(mut st) = state.lock() else { break };
                    if i != st.want {
                        // (parked for its turn; the next part goes into a spare buffer)
                        let spare = st.spare.pop().unwrap_or_default();
                        st.waiting.insert(i, std::mem::replace(&mut buf, spare));
                        continue;
                    }
                    st.write(&buf, stop);
                    loop {
                        let want = st.want;
                        let Some(mut b) = st.waiting.remove(&want) else {
                            break;
                        };
                        st.write(&b, stop);
                        b.clear();
                        st.spare.push(b);
                    }
                }
            });
        }
    });
    state.into_inner().unwrap_or_else(|e| e.into_inner()).result
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

    /// The text of every item, in order, on any number of threads; a write error stops the
    /// run and is returned.
    #[test]
    fn writes_in_order_on_any_number_of_threads() {
        let v: Vec<u32> = (0..500).collect();
        let want: String = v.iter().map(|x| format!("<{x}>")).collect();
        for t in [0, 1, 2, 3, 64] {
            let mut out: Vec<u8> = Vec::new();
            write_ordered(&v, t, |x, s| s.push_str(&format!("<{x}>")), &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want, "{t}");
        }
        struct Fails(usize);
        impl std::io::Write for Fails {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("full"));
                }
                self.0 -= 1;
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        for t in [1, 2, 4] {
            let err = write_ordered(&v, t, |x, s| s.push_str(&format!("<{x}>")), &mut Fails(10));
            assert_eq!(err.unwrap_err().to_string(), "full", "{t}");
        }
    }

    /// Parts rendered before their turn wait for it: the first part is held back until a
    /// later one is rendered (when the pool has a second thread), and the text is in order.
    #[test]
    fn parts_rendered_early_wait_for_their_turn() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let v: Vec<u32> = (0..40).collect();
        let later_done = AtomicBool::new(false);
        let mut out: Vec<u8> = Vec::new();
        write_ordered(
            &v,
            2,
            |&x, s| {
                if x == 0 {
                    // (bounded: a pool of one thread renders the others after this one)
                    let t = std::time::Instant::now();
                    while !later_done.load(Ordering::Relaxed)
                        && t.elapsed() < std::time::Duration::from_secs(2)
                    {
                        std::thread::yield_now();
                    }
                }
                if x == 5 {
                    later_done.store(true, Ordering::Relaxed);
                }
                s.push_str(&format!("<{x}>"));
            },
            &mut out,
        )
        .unwrap();
        let want: String = v.iter().map(|x| format!("<{x}>")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    #[should_panic(expected = "bang")]
    fn a_renderer_panic_reaches_the_caller() {
        let v: Vec<u32> = (0..100).collect();
        let mut out: Vec<u8> = Vec::new();
        let _ = write_ordered(
            &v,
            2,
            |&x, s| {
                assert!(x != 57, "bang");
                s.push('.');
            },
            &mut out,
        );
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
