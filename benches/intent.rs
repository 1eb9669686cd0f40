//! Intent topic detection on a 10 KB issue body: prose with asks and
//! negations, a fenced code block, a stack trace and a quoted reply, as
//! people paste them. `cargo bench --bench intent`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orgradar::intent::{Source, Taxonomy};
use std::hint::black_box;

/// About 10 KB of a realistic body.
fn body() -> String {
    let parts = [
        "We are evaluating this for our platform team (about 400 engineers). Before we can roll it out we need SAML single sign-on with Okta, an audit log we can export, and a Helm chart for our OpenShift clusters. We don't need multi-tenancy for now.\n\n",
        "Steps to reproduce:\n1. Start the server with the config below\n2. Log in\n3. Open the run page\n\n",
        "```yaml\nauth:\n  provider: saml\n  idp_metadata_url: https://example.okta.com/app/abc/sso/saml/metadata\nstorage:\n  kind: s3\n  bucket: runs\n```\n\n",
        "The server logs this and exits:\n\n    java.lang.IllegalStateException: session expired\n        at com.example.auth.SamlFilter.doFilter(SamlFilter.java:88)\n        at org.springframework.security.web.FilterChainProxy.doFilter(FilterChainProxy.java:337)\n\n",
        "> Could you try without the reverse proxy?\n> Also, is this on Kubernetes?\n\nSame result without the proxy. It runs on two plain VMs, not on Kubernetes.\n\n",
        "Our security team also asks whether there is a SOC 2 report and how vulnerabilities are disclosed. Procurement wants to know the pricing of the enterprise edition and whether a support contract with an SLA is available.\n\n",
    ];
    let mut out = String::new();
    let mut i = 0;
    while out.len() < 10 * 1024 {
        out.push_str(parts[i % parts.len()]);
        i += 1;
    }
    out
}

fn detection(c: &mut Criterion) {
    let taxonomy = Taxonomy::default();
    let body = body();
    let found = taxonomy.detect("Enterprise rollout questions", Some(&body), Source::Body);
    assert!(found.len() >= 5, "{found:?}");
    let mut group = c.benchmark_group("intent");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("detect, 10 KB body", |b| {
        b.iter(|| {
            taxonomy.detect(
                black_box("Enterprise rollout questions"),
                Some(black_box(&body)),
                Source::Body,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, detection);
criterion_main!(benches);
