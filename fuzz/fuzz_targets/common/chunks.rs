//! Cutting a byte stream into chunks of fuzzed sizes, shared by the stream targets.

/// `stream` cut into pieces of `sizes[0] % modulus`, `sizes[1] % modulus`, … bytes, the
/// sizes taken in turn (1 byte each when there are none), then one empty chunk, as an HTTP
/// body may end with an empty frame. Empty chunks occur, never two in a row, so the stream
/// always advances.
pub fn cut<'a>(stream: &'a [u8], sizes: &'a [u8], modulus: u8) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = stream;
    let mut i = 0;
    let mut done = false;
    let mut empty = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        if rest.is_empty() {
            done = true;
            return Some(rest);
        }
        let mut n = if sizes.is_empty() { 1 } else { usize::from(sizes[i % sizes.len()] % modulus) };
        i += 1;
        if n == 0 && empty {
            n = 1;
        }
        empty = n == 0;
        let (head, tail) = rest.split_at(n.min(rest.len()));
        rest = tail;
        Some(head)
    })
}
