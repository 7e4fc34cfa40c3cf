//! `guichet serve` under stress, on loopback: a client that sends a byte at a time holds up
//! no one else, oversized requests are refused, and 500 requests at once are all answered.

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::common::TempSite;
use crate::common::server::{get, request, start};

fn small_site() -> TempSite {
    TempSite::new(&[
        ("guichet.yaml", "title: Démo\n"),
        ("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n"),
        ("content/a.md", "---\ntitle: A\n---\nTexte.\n"),
    ])
}

#[test]
fn a_client_sending_a_byte_at_a_time_holds_up_no_one() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let slow_done = Arc::new(AtomicBool::new(false));
    let slow = {
        let slow_done = Arc::clone(&slow_done);
        std::thread::spawn(move || {
            let mut stream = TcpStream::connect(addr).unwrap();
            for byte in b"GET /a/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" {
                stream.write_all(&[*byte]).unwrap();
                std::thread::sleep(Duration::from_millis(60));
            }
            slow_done.store(true, Ordering::SeqCst);
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    // Answered while the slow client is still sending (its request takes about 3 s).
    for _ in 0..5 {
        assert_eq!(get(addr, "/").status, 200);
    }
    assert!(!slow_done.load(Ordering::SeqCst));
    slow.join().unwrap();
}

#[test]
fn a_header_larger_than_the_limit_is_refused() {
    let site = small_site();
    let server = start(&site);
    let big = "a".repeat(20_000);
    let reply = request(server.addr(), "GET", "/", &[("X-Big", &big)]);
    assert_eq!(reply.status, 431);
    assert_eq!(reply.text(), "request too large\n");
    // Just under the limit is fine, and the server goes on answering.
    let fine = "a".repeat(15_000);
    assert_eq!(
        request(server.addr(), "GET", "/", &[("X-Fine", &fine)]).status,
        200
    );
}

#[test]
fn an_announced_body_larger_than_the_limit_is_refused_without_reading_it() {
    let site = small_site();
    let server = start(&site);
    // The body is announced but never sent: the answer cannot wait for it.
    let reply = request(
        server.addr(),
        "GET",
        "/",
        &[("Content-Length", "100000000")],
    );
    assert_eq!(reply.status, 413);
    assert_eq!(get(server.addr(), "/a/").status, 200);
}

#[test]
fn five_hundred_requests_at_once_are_all_answered() {
    let site = small_site();
    let server = start(&site);
    let addr = server.addr();
    let clients: Vec<_> = (0..500)
        .map(|i| {
            std::thread::spawn(move || {
                let target = if i % 2 == 0 { "/" } else { "/a/" };
                get(addr, target).status
            })
        })
        .collect();
    let statuses: Vec<u16> = clients.into_iter().map(|c| c.join().unwrap()).collect();
    assert_eq!(statuses.len(), 500);
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
}
