use super::*;

fn topics(title: &str, body: &str) -> Vec<String> {
    Taxonomy::default()
        .detect(title, Some(body), Source::Body)
        .into_iter()
        .map(|i| format!("{}:{}:{}", i.topic, i.phrase, i.source))
        .collect()
}

#[test]
fn finds_topics_on_word_boundaries_whatever_the_case_and_accents() {
    assert_eq!(
        topics(
            "Support SAML login",
            "We need an AUDIT TRAIL and a Helm chart."
        ),
        [
            "sso:SAML:title",
            "audit:audit trail:body",
            "deployment:Helm chart:body"
        ]
    );
    assert_eq!(topics("Ssosomething and samlify", ""), Vec::<String>::new());
    assert_eq!(
        topics(
            "Haute disponibilité",
            "Nous cherchons une installation auto-hébergée"
        ),
        ["scale:haute disponibilité:title"]
    );
    assert_eq!(
        topics("SOC2 report?", "we are selfhosted and need SLAs"),
        [
            "compliance:SOC 2:title",
            "deployment:self-hosted:body",
            "commercial:SLA:body"
        ]
    );
}

#[test]
fn negations_turn_a_phrase_around_but_a_lack_is_a_request() {
    for negated in [
        "We don't need SSO for this.",
        "There is no need for SAML here",
        "We are not looking for an on-prem version",
        "It runs fine without Kubernetes.",
        "SSO is not required for us",
        "This is not an LDAP problem",
        "We don't need SSO, LDAP or SCIM",
        "Wir brauchen kein SSO",
        "Nous n'avons pas besoin de SSO",
        "No necesitamos SSO",
    ] {
        let found = topics("Question", negated);
        assert!(found.is_empty(), "{negated}: {found:?}");
    }
    for asked in [
        "The app doesn't support SAML yet",
        "There is no SAML support",
        "It does not work with Okta",
        "We can't roll this out without SSO",
        "Without SSO, we cannot adopt it.",
        "We don't need audit logs but SSO is a must",
        "Is it not possible to use LDAP?",
        "We need LDAPS and can't use plain LDAP",
        "We can't use plain LDAP because of our security policy",
        "We don't need SSO because we already use LDAP",
    ] {
        assert!(!topics("Question", asked).is_empty(), "{asked}");
    }
}

#[test]
fn code_quotes_and_stack_traces_are_not_asks() {
    let body = "Our login fails.\n\n```\nsaml:\n  idp: okta\n```\n\n> Do you need SSO?\n\n    at com.okta.sdk.Client.get(Client.java:12)\njavax.naming.AuthenticationException: LDAP error 49\nException in thread \"main\" java.lang.IllegalStateException: no SAML metadata\n";
    assert_eq!(topics("Login fails", body), Vec::<String>::new());
}

#[test]
fn not_phrases_and_named_migrations() {
    assert!(topics("k-means clustering returns NaN", "").is_empty());
    assert!(topics("Fix Access-Control-Allow-Origin header", "").is_empty());
    assert_eq!(topics("Clustering support", ""), ["scale:clustering:title"]);
    assert!(topics("Migrate from v1 config", "").is_empty());
    assert!(topics("Migrating from the old API", "").is_empty());
    assert_eq!(
        topics("Migrating from Jenkins", ""),
        ["migration:migrating from:title"]
    );
}

#[test]
fn dependency_updates_and_tidying_ask_for_nothing() {
    for title in [
        "Bump helm/kind-action from 1.8.0 to 1.10.0",
        "bump lodash from 4.17.20 to 4.17.21 (security)",
        "Update dependency okta-auth-js to v7.8.1",
        "chore(deps): update Helm release postgresql to v15",
        "refactor: move SAML handlers into their own package",
        "ci: scan the image with Trivy",
    ] {
        let found = topics(title, "Moves the LDAP code.");
        assert!(found.is_empty(), "{title}: {found:?}");
    }
    for title in [
        "Bump helm chart version to 3.4.1",
        "Refactoring the SAML login would fix it",
        "fix(saml): accept encrypted assertions",
    ] {
        assert!(!topics(title, "").is_empty(), "{title}");
    }
}

#[test]
fn a_checklist_with_a_ticked_box_asks_only_for_what_is_ticked() {
    let body =
        "### Which do you need?\n- [x] I need SSO\n- [ ] I need audit logs\n* [ ] Helm chart\n";
    assert_eq!(topics("Enterprise needs", body), ["sso:SSO:body"]);
    let todo = "- [ ] SAML login\n- [ ] Audit log\n";
    assert_eq!(
        topics("Roadmap", todo),
        ["sso:SAML:body", "audit:audit log:body"]
    );
}

#[test]
fn comments_are_their_own_source() {
    let found = Taxonomy::default().detect("Bug", Some("+1, we need SCIM"), Source::Comment);
    assert_eq!(
        found,
        [Intent {
            topic: "sso".into(),
            phrase: "SCIM".into(),
            source: Source::Comment
        }]
    );
}

fn settings(yaml: &str) -> Result<Taxonomy, IntentError> {
    let s: IntentSettings = serde_saphyr::from_str(yaml).unwrap();
    s.taxonomy()
}

#[test]
fn app_yml_adds_topics_and_phrases_and_switches_defaults_off() {
    let t = settings(
        "disable: [integration]\ntopics:\n  sso: { phrases: [PingOne] }\n  gitops: { label: GitOps, phrases: [Argo CD], not: [argo cd v1] }\n",
    )
    .unwrap();
    let found: Vec<String> = t
        .detect("Jira sync and PingOne, Argo CD", None, Source::Body)
        .into_iter()
        .map(|i| format!("{}:{}", i.topic, i.phrase))
        .collect();
    assert_eq!(found, ["sso:PingOne", "gitops:Argo CD"]);
    assert_eq!(t.label("gitops"), "GitOps");
    assert_eq!(t.label("sso"), "SSO");
}

#[test]
fn app_yml_mistakes_are_placed() {
    let e = settings("disable: [ssso]\n").unwrap_err();
    assert_eq!((e.line, e.column), (1, 11));
    assert!(e.message.contains("no default topic"), "{}", e.message);
    let e = settings("topics:\n  x: { phrases: [\"--\"] }\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("no letter or digit"), "{}", e.message);
    let e = settings("topics:\n  Bad Id: { phrases: [a] }\n").unwrap_err();
    assert!(e.message.contains("not a topic id"), "{}", e.message);
}
