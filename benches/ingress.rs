//! The CPU cost of accepting one delivery, without the network: verifying the
//! signature of a real `issues.opened` payload and extracting the slim payload.
//! `cargo bench --bench ingress`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orgradar::config::WebhookSecrets;
use orgradar::event::Payload;
use orgradar::ingress::signature::{sign, verify};
use std::hint::black_box;

const BODY: &[u8] = include_bytes!("../tests/fixtures/issues.opened.json");

fn ingress(c: &mut Criterion) {
    let secrets = WebhookSecrets::parse("bench-secret").unwrap();
    let signature = sign(b"bench-secret", BODY);
    let mut group = c.benchmark_group("ingress");
    group.throughput(Throughput::Bytes(BODY.len() as u64));
    group.bench_function("verify_signature", |b| {
        b.iter(|| verify(&secrets, black_box(&signature), black_box(BODY)).unwrap())
    });
    group.bench_function("parse_slim_payload", |b| {
        b.iter(|| {
            let p: Payload = serde_json::from_slice(black_box(BODY)).unwrap();
            serde_json::to_string(&p).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, ingress);
criterion_main!(benches);
