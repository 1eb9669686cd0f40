//! Data: free-mail providers and personal-page hosts, as white-space
//! separated lists. `domains.rs` uses them.

/// Free-mail providers, placeholder domains and no-reply hosts: an address at
/// one of these names no organization (350 entries).
pub const FREE_MAIL: &str = "\
    gmail.com googlemail.com outlook.com outlook.fr outlook.de outlook.es outlook.it \
    outlook.jp outlook.kr outlook.in outlook.com.br outlook.com.au outlook.co.uk outlook.sa \
    outlook.com.tr hotmail.com hotmail.co.uk hotmail.fr hotmail.de hotmail.it hotmail.es \
    hotmail.nl hotmail.be hotmail.ca hotmail.com.br hotmail.com.ar hotmail.com.mx \
    hotmail.co.jp hotmail.se hotmail.dk hotmail.no hotmail.fi hotmail.com.tr live.com \
    live.co.uk live.fr live.de live.it live.nl live.be live.ca live.com.au live.com.mx live.cn \
    live.jp live.se live.dk live.no msn.com passport.com windowslive.com yahoo.com yahoo.co.uk \
    yahoo.fr yahoo.de yahoo.it yahoo.es yahoo.ca yahoo.com.au yahoo.com.br yahoo.com.ar \
    yahoo.com.mx yahoo.co.jp yahoo.co.in yahoo.in yahoo.com.sg yahoo.com.hk yahoo.com.tw \
    yahoo.co.id yahoo.com.ph yahoo.com.vn yahoo.gr yahoo.se yahoo.dk yahoo.no yahoo.ie \
    yahoo.co.nz yahoo.co.kr yahoo.co.th ymail.com rocketmail.com myyahoo.com icloud.com me.com \
    mac.com privaterelay.appleid.com aol.com aim.com aol.co.uk aol.fr aol.de proton.me \
    protonmail.com protonmail.ch pm.me passmail.net passinbox.com fastmail.com fastmail.fm \
    messagingengine.com zoho.com zohomail.com zohomail.eu zoho.eu zoho.in tutanota.com \
    tutanota.de tutamail.com tuta.io tuta.com keemail.me hey.com mailbox.org posteo.de \
    posteo.net disroot.org riseup.net runbox.com mailfence.com startmail.com countermail.com \
    hushmail.com hush.com kolabnow.com skiff.com ctemplar.com criptext.com lavabit.com \
    mail.com email.com usa.com post.com consultant.com engineer.com cheerful.com techie.com \
    myself.com dr.com europe.com asia.com gmx.com gmx.net gmx.de gmx.at gmx.ch gmx.fr \
    gmx.co.uk gmx.us web.de freenet.de t-online.de arcor.de online.de mail.de yandex.ru \
    yandex.com yandex.ua yandex.by yandex.kz ya.ru narod.ru mail.ru inbox.ru list.ru bk.ru \
    internet.ru rambler.ru lenta.ru ro.ru ukr.net i.ua meta.ua qq.com foxmail.com 163.com \
    126.com yeah.net 188.com sina.com sina.cn sina.com.cn sohu.com aliyun.com 139.com 189.cn \
    wo.cn tom.com 21cn.com naver.com daum.net hanmail.net nate.com kakao.com docomo.ne.jp \
    ezweb.ne.jp softbank.ne.jp i.softbank.jp nifty.com biglobe.ne.jp ocn.ne.jp so-net.ne.jp \
    rediffmail.com sify.com indiatimes.com libero.it virgilio.it tiscali.it alice.it tin.it \
    email.it inwind.it iol.it orange.fr wanadoo.fr laposte.net free.fr sfr.fr neuf.fr \
    club-internet.fr aliceadsl.fr bbox.fr numericable.fr skynet.be telenet.be scarlet.be \
    ziggo.nl planet.nl home.nl kpnmail.nl hetnet.nl xs4all.nl chello.nl bluewin.ch hispeed.ch \
    sunrise.ch terra.com.br bol.com.br uol.com.br ig.com.br globo.com globomail.com r7.com \
    prodigy.net.mx btinternet.com btopenworld.com sky.com virginmedia.com blueyonder.co.uk \
    ntlworld.com talktalk.net tiscali.co.uk o2.pl wp.pl onet.pl interia.pl op.pl seznam.cz \
    centrum.cz atlas.cz email.cz post.cz azet.sk centrum.sk zoznam.sk freemail.hu citromail.hu \
    abv.bg mail.bg dir.bg inbox.lv inbox.lt mail.ee sapo.pt netcabo.pt telepac.pt terra.es \
    telefonica.net ono.com eircom.net otenet.gr walla.co.il walla.com bezeqint.net \
    netvision.net.il comcast.net verizon.net att.net sbcglobal.net bellsouth.net charter.net \
    cox.net earthlink.net optonline.net frontier.com windstream.net juno.com netzero.net \
    netzero.com roadrunner.com rr.com twc.com centurylink.net q.com shaw.ca rogers.com \
    sympatico.ca videotron.ca telus.net bell.net bigpond.com bigpond.net.au optusnet.com.au \
    iinet.net.au tpg.com.au internode.on.net xtra.co.nz lycos.com excite.com inbox.com \
    mail2world.com yopmail.com mailinator.com guerrillamail.com 10minutemail.com temp-mail.org \
    sharklasers.com trashmail.com dispostable.com getnada.com maildrop.cc mohmal.com cock.li \
    airmail.cc duck.com simplelogin.com simplelogin.co aleeas.com anonaddy.com anonaddy.me \
    addy.io mozmail.com relay.firefox.com users.noreply.github.com noreply.github.com \
    users.noreply.gitlab.com example.com example.org example.net test.com domain.com \
";

/// A registrable domain whose own label is one of these is free mail under
/// any country suffix (`yahoo.com.ar`, `gmx.es`, `hotmail.co.th`).
pub const FREE_MAIL_BRANDS: &[&str] = &[
    "gmail",
    "googlemail",
    "yahoo",
    "ymail",
    "hotmail",
    "outlook",
    "msn",
    "aol",
    "gmx",
    "yandex",
    "protonmail",
    "icloud",
    "rediffmail",
    "libero",
    "seznam",
];

/// Hosts of personal pages, profiles and link shorteners: a blog or URL here
/// names no employer. (Suffixes in the public suffix list's private section,
/// such as `github.io` or `netlify.app`, count too without being listed.)
pub const PERSONAL_HOSTS: &str = "\
    netlify.com glitch.me railway.app github.com gitlab.com bitbucket.org codeberg.org sr.ht \
    gist.github.com medium.com substack.com dev.to hashnode.dev hashnode.com blogger.com \
    wordpress.com tumblr.com ghost.io write.as mataroa.blog micro.blog linkedin.com \
    twitter.com x.com facebook.com instagram.com threads.net bsky.app bsky.social \
    mastodon.social fosstodon.org hachyderm.io reddit.com youtube.com youtu.be twitch.tv t.me \
    telegram.me discord.gg about.me linktr.ee bio.link notion.so read.cv polywork.com \
    peerlist.io gravatar.com keybase.io behance.net dribbble.com stackoverflow.com \
    stackexchange.com codepen.io kaggle.com huggingface.co orcid.org researchgate.net \
    academia.edu leetcode.com hackerrank.com wix.com squarespace.com weebly.com strikingly.com \
    patreon.com ko-fi.com buymeacoffee.com paypal.me angel.co wellfound.com crunchbase.com \
    bit.ly tinyurl.com g.dev sites.google.com scholar.google.com docs.google.com \
";

/// Pages inside a product, by the shape of their URL (`hosted.rs` reads
/// the pattern grammar): storefronts, community and forum profiles, shared
/// files and documents, app subdomains and tenants of hosted products,
/// marketplace listings. A URL matching one names no employer.
pub const HOSTED_PAGES: &str = "\
    community.* communities.* forum.* forums.* discuss.* discourse.* answers.* support.* \
    help.* helpdesk.* feedback.* ideas.* devforums.* developer.* developers.* \
    app.* apps.* store.* shop.* shops.* marketplace.* dashboard.* console.* portal.* my.* \
    account.* accounts.* login.* signin.* auth.* play.* chrome.* chromewebstore.* addons.* \
    extensions.* appexchange.* azuremarketplace.* drive.* onedrive.* 1drv.ms wetransfer.com \
    dropbox.com/scl/* *.sharepoint.com *.slack.com *.atlassian.net *.zendesk.com \
    *.freshdesk.com *.force.com *.okta.com *.service-now.com \
    *.gumroad.com *.bigcartel.com *.teachable.com *.thinkific.com *.typeform.com \
    *.hubspot.com *.ecwid.com *.shopify.com \
    *.etsy.com *.tumblr.com *.zoom.us \
    */u/* */user/* */users/* */profile/* */profiles/* */member/* */members/* */@* */~* \
    */store/* */stores/* */shop/* */shops/* */marketplace/* */listing/* */listings/* \
    */seller/* */sellers/* */app/* */apps/* */item/* */items/* */product/* */products/* \
    */dp/* */gp/* */str/* */usr/* */webstore/* */extension/* */extensions/* */addon/* \
    */addons/* */plugins/* */templates/* */s/* */sh/* */file/* */files/* */document/* \
    */spreadsheets/* */presentation/* */forms/* */drive/* */folder/* */folders/* \
    */share/* */shared/* */board/* */:* */community/* */communities/* */forum/* \
    */forums/* */t/* */questions/* */groups/* */invite/* */join/* */discussions/* \
    */wishlist/* */reviews/* \
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::affiliation::domains::Host;
    use std::collections::HashSet;

    #[test]
    fn every_entry_is_a_host_listed_once() {
        for list in [FREE_MAIL, PERSONAL_HOSTS] {
            let mut seen = HashSet::new();
            for host in list.split_whitespace() {
                assert!(seen.insert(host), "{host} is listed twice");
                // A public suffix here would never match: such hosts
                // (github.io, netlify.app, ...) count as hosted already.
                assert!(Host::parse(host).is_some(), "{host} is no host");
            }
        }
    }
}
