//! Machine users: `User` accounts that run automation (a release bot, a
//! deploy account, a CI service account). Told from the login, the bio and
//! the name together: a clear word in one of them is enough ("deploy-bot",
//! "Service account for the release pipeline"); hints ("ci", "release")
//! need another.

use super::Profile;
use super::Source;
use super::normalize::{fold_words, starts_with, tokens, with_tokens};
use super::sieve::Sieve;
use foldhash::HashMap;
use std::sync::LazyLock;

/// Login or name words that say automation on their own.
fn is_clear_word(word: &str) -> bool {
    matches!(
        word,
        "bot"
            | "bots"
            | "robot"
            | "robots"
            | "automation"
            | "automations"
            | "automaton"
            | "autobot"
            | "buildbot"
            | "cibot"
            | "svc"
            | "serviceaccount"
            | "botaccount"
            | "renovate"
            | "dependabot"
            | "snyk"
    )
}

/// Login or name words that hint at automation (one per field counts).
fn is_hint_word(word: &str) -> bool {
    matches!(
        word,
        "ci" | "cd"
            | "cicd"
            | "deploy"
            | "deployer"
            | "deployment"
            | "deploys"
            | "release"
            | "releases"
            | "releaser"
            | "build"
            | "builder"
            | "builds"
            | "sync"
            | "syncer"
            | "mirror"
            | "mirroring"
            | "jenkins"
            | "travis"
            | "circleci"
            | "actions"
            | "pipeline"
            | "pipelines"
            | "publish"
            | "publisher"
            | "autobuild"
            | "automerge"
            | "backport"
            | "backporter"
            | "changelog"
            | "integration"
            | "service"
            | "machine"
            | "auto"
            | "automated"
            | "cron"
            | "scheduler"
            | "notifier"
            | "updater"
            | "runner"
            | "runners"
            | "nightly"
            | "nightlies"
    )
}

/// Bio phrases that say the account is automation, in the languages
/// orgradar reads (folded like every text).
const BIO_PHRASES: &str = "bot account|a bot|i am a bot|im a bot|this is a bot|this bot|automation account|automated account|service account|machine user|machine account|robot account|technical account|technical user|not a human|non human|beep boop|deploy bot|release bot|ci bot|build bot|automated releases|automated release|runs the release|run by ci|used by ci|operated by|automation for|automation user|account used by|dienstkonto|technischer benutzer|technischer account|automatisierung|compte de service|compte technique|compte robot|cuenta de servicio|cuenta tecnica|conta de servico|conta tecnica|account di servizio|account tecnico|serviceaccount|konto serwisowe|konto techniczne|служебный аккаунт|сервисный аккаунт|технический аккаунт|бот|サービスアカウント|ボット|自動化|机器人|服务账号|自动化|봇|서비스 계정|자동화";

/// Words after a bio phrase that make it about the person's work, not the
/// account: "I'm a bot developer".
fn is_about_work(word: &str) -> bool {
    matches!(
        word,
        "developer"
            | "developers"
            | "builder"
            | "builders"
            | "maker"
            | "author"
            | "creator"
            | "framework"
            | "frameworks"
            | "library"
            | "libraries"
            | "enthusiast"
            | "engineer"
            | "platform"
    )
}

/// Phrases (as tokens) by their first token.
type ByFirst = HashMap<String, Vec<Vec<String>>>;

/// The bio phrases by their first token, and a sieve of those tokens: most
/// words of a bio start no phrase.
static PHRASES: LazyLock<(ByFirst, Sieve)> = LazyLock::new(|| {
    let mut map: HashMap<String, Vec<Vec<String>>> = HashMap::default();
    let mut sieve = Sieve::default();
    for phrase in BIO_PHRASES.split('|').map(tokens) {
        if let Some(first) = phrase.first() {
            sieve.insert(first);
            map.entry(first.clone()).or_default().push(phrase);
        }
    }
    (map, sieve)
});

/// Why a profile is a machine user.
pub struct Machine {
    pub value: String,
    pub source: Source,
    pub why: String,
}

/// "acmebot", "deploybot": a word of four letters or more, then "bot"
/// (not "talbot", "abbot", "cabot", nor the noun "chatbot").
fn named_bot(word: &str) -> bool {
    word.len() >= 7
        && word.ends_with("bot")
        && word[..word.len() - 3]
            .bytes()
            .all(|b| b.is_ascii_alphabetic())
        && !matches!(word, "chatbot" | "voicebot")
}

/// 2 for a clear word or two different hints ("ci-runner", "nightly-builds"),
/// 1 for a hint, 0 for neither, in a login or name
/// (split at anything not a letter or digit; no allocation for the common
/// lowercase ASCII login).
fn words_score(text: &str) -> u8 {
    let mut score = 0;
    let mut first_hint: Option<String> = None;
    let mut lower = String::new();
    for piece in text.split(|c: char| !c.is_alphanumeric()) {
        if piece.is_empty() {
            continue;
        }
        let word = if piece
            .bytes()
            .any(|b| !b.is_ascii_lowercase() && !b.is_ascii_digit())
        {
            // The tokens, concatenated.
            lower.clear();
            fold_words(piece, &mut lower, |_, _, _| {});
            lower.as_str()
        } else {
            piece
        };
        let clear = is_clear_word(word) || named_bot(word);
        if clear {
            return 2;
        }
        if is_hint_word(word) {
            // "ci-cd" is one hint.
            let word = if matches!(word, "cd" | "cicd") {
                "ci"
            } else {
                word
            };
            match first_hint {
                Some(first) if first != word => return 2,
                Some(_) => {}
                None => first_hint = Some(word.to_string()),
            }
            score = 1;
        }
    }
    score
}

/// The bio phrase that says automation, if any.
fn bio_phrase(toks: &[&str]) -> Option<String> {
    let (by_first, sieve) = &*PHRASES;
    for at in 0..toks.len() {
        if !sieve.may_contain(toks[at]) {
            continue;
        }
        let Some(phrases) = by_first.get(toks[at]) else {
            continue;
        };
        for phrase in phrases {
            if starts_with(&toks[at..], phrase) {
                let next = toks.get(at + phrase.len()).copied();
                if !next.is_some_and(is_about_work) {
                    return Some(phrase.join(" "));
                }
            }
        }
    }
    None
}

/// A `User` whose login, bio and name say it is automation.
pub fn machine_user(profile: &Profile) -> Option<Machine> {
    let login_score = words_score(&profile.login);
    let name_score = profile.name.as_deref().map_or(0, words_score);
    let phrase = profile
        .bio
        .as_deref()
        .and_then(|b| with_tokens(b, bio_phrase));
    let bio_score = if phrase.is_some() { 2 } else { 0 };
    if login_score.max(name_score).max(bio_score) < 2 && login_score + name_score < 2 {
        return None;
    }
    let (value, source, why) = if login_score == 2 {
        let why = match &phrase {
            Some(p) => format!("the login says automation, and the bio: \"{p}\""),
            None => "the login says automation".to_string(),
        };
        (profile.login.clone(), Source::Login, why)
    } else if let Some(p) = phrase {
        let bio = profile.bio.clone().unwrap_or_default();
        (bio, Source::Bio, format!("the bio says \"{p}\""))
    } else if name_score == 2 {
        let name = profile.name.clone().unwrap_or_default();
        (name, Source::Name, "the name says automation".to_string())
    } else {
        let why = "the login and the name say automation".to_string();
        (profile.login.clone(), Source::Login, why)
    };
    Some(Machine { value, source, why })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(login: &str, name: Option<&str>, bio: Option<&str>) -> Profile {
        let mut p = Profile::new(login);
        p.kind = Some("User".into());
        p.name = name.map(str::to_string);
        p.bio = bio.map(str::to_string);
        p
    }

    #[test]
    fn automation_by_login_bio_or_name() {
        assert!(machine_user(&profile("release-automation", None, None)).is_some());
        assert!(machine_user(&profile("acme-deploy-bot", None, None)).is_some());
        assert!(machine_user(&profile("acmebot", None, None)).is_some());
        assert!(machine_user(&profile("releasebot", None, None)).is_some());
        assert!(
            machine_user(&profile(
                "jdoe",
                None,
                Some("Service account for the Acme release pipeline")
            ))
            .is_some()
        );
        assert!(machine_user(&profile("acme-ci", Some("Acme CI"), None)).is_some());
    }

    #[test]
    fn people_who_build_bots_are_people() {
        assert!(
            machine_user(&profile("jane", None, Some("I'm a bot developer at Acme"))).is_none()
        );
        assert!(machine_user(&profile("jane", None, Some("I build Discord bots"))).is_none());
        assert!(machine_user(&profile("talbot", Some("Jane Talbot"), None)).is_none());
        assert!(machine_user(&profile("botond", None, None)).is_none());
        assert!(
            machine_user(&profile("jane-ci", None, Some("Release engineer at Acme"))).is_none()
        );
        assert!(machine_user(&profile("ci-cd-fan", None, None)).is_none());
    }
}
