//! Corrections put right through the ledger.

use super::*;

/// A correction of `login`'s sighting `delivery`: "not Globex", by @dana.
fn not_globex<'a>(delivery: &'a str, answer: &'a crate::notify::Answer) -> super::Correcting<'a> {
    super::Correcting {
        delivery,
        id: "slack-T1-U1-1.5",
        login: "wile",
        answer,
        outcome: "The sighting no longer counts for Globex Corporation.",
        group: Some("account:globex"),
    }
}

#[tokio::test]
async fn a_correction_takes_the_labels_off_and_tells_the_tracking_issue_once_even_across_a_crash() {
    let w = world().await;
    let p = planned(&w, "d1", "wile", 3).await;
    run(&w, &p).await.unwrap();
    let answer = crate::notify::Answer {
        decided: "Marked not Globex Corporation".into(),
        by: "@dana".into(),
        via: "Slack",
        at: 1_764_585_720_000,
    };
    let done = w
        .actions
        .undo(&w.items, INSTALLATION, &not_globex("d1", &answer))
        .await
        .unwrap();
    assert_eq!(
        done,
        [
            "removed label enterprise from acme/widgets#3",
            "commented on acme-corp/leads#1"
        ]
    );
    let comments =
        |w: &World| w.items.state.lock().unwrap().comments[&("acme-corp/leads".into(), 1)].clone();
    {
        let s = w.items.state.lock().unwrap();
        assert!(s.item_labels[&("acme/widgets".into(), 3)].is_empty());
    }
    let told = comments(&w);
    assert_eq!(told.len(), 2);
    let body = told[1].body.clone().unwrap();
    assert!(body.contains("Marked not Globex Corporation"), "{body}");
    assert!(
        body.contains("no longer counts for Globex Corporation"),
        "{body}"
    );

    // Run again: nothing more.
    let writes = w.items.state.lock().unwrap().writes;
    let again = w
        .actions
        .undo(&w.items, INSTALLATION, &not_globex("d1", &answer))
        .await
        .unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(w.items.state.lock().unwrap().writes, writes);

    // A crash after the comment was written but before it was recorded:
    // the comment is found by its marker, not written twice.
    let started = crate::store::ActionRecord {
        state: ActionState::Started,
        detail: None,
    };
    w.store
        .record_action("d1", "undo:notify:leads", started, 2)
        .await
        .unwrap();
    w.actions
        .undo(&w.items, INSTALLATION, &not_globex("d1", &answer))
        .await
        .unwrap();
    assert_eq!(comments(&w).len(), 2, "told once");
    assert!(
        ledger(&w, "d1")
            .await
            .contains(&("undo:notify:leads".into(), "done"))
    );
    assert!(
        ledger(&w, "d1")
            .await
            .contains(&("undo:label:enterprise".into(), "done"))
    );
}

#[tokio::test]
async fn a_tracking_comment_whose_write_was_in_doubt_is_looked_for_and_told_only_if_it_landed() {
    let answer = crate::notify::Answer {
        decided: "Marked not Globex Corporation".into(),
        by: "@dana".into(),
        via: "Slack",
        at: 1_764_585_720_000,
    };
    let in_doubt = crate::store::ActionRecord {
        state: ActionState::Started,
        detail: None,
    };
    // It landed: the comment with the delivery's marker is there.
    let w = world().await;
    run(&w, &planned(&w, "d1", "wile", 3).await).await.unwrap();
    w.store
        .record_action("d1", "notify:leads", in_doubt.clone(), 2)
        .await
        .unwrap();
    let done = w
        .actions
        .undo(&w.items, INSTALLATION, &not_globex("d1", &answer))
        .await
        .unwrap();
    assert!(
        done.contains(&"commented on acme-corp/leads#1".to_string()),
        "{done:?}"
    );

    // It did not: the tracking issue has no comment of that delivery.
    let w = world().await;
    run(&w, &planned(&w, "d1", "wile", 3).await).await.unwrap();
    w.items.state.lock().unwrap().comments.clear();
    w.store
        .record_action("d1", "notify:leads", in_doubt, 2)
        .await
        .unwrap();
    let done = w
        .actions
        .undo(&w.items, INSTALLATION, &not_globex("d1", &answer))
        .await
        .unwrap();
    assert_eq!(done, ["removed label enterprise from acme/widgets#3"]);
    assert!(w.items.state.lock().unwrap().comments.is_empty());
}
