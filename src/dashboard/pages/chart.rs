//! The weekly chart: an inline SVG of sightings per week, stacked by tier.

use super::dates::{WEEK, day, short_day, week_start};
use crate::dashboard::model::WeekCount;
use crate::time::Millis;
use maud::{Markup, html};
use std::collections::BTreeMap;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 252.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 40.0;
const PLOT_HEIGHT: f64 = HEIGHT - TOP - BOTTOM;
/// The share of a week's slot its bar fills.
const BAR: f64 = 0.7;
/// Beyond this many weeks, only every other week is labelled.
const LABELLED_WEEKS: usize = 16;
/// The most weeks drawn: five years.
const MAX_WEEKS: usize = 261;

/// Tier colors, distinguishable with common color blindness, legible on
/// light and dark backgrounds.
const PALETTE: [&str; 9] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f",
];
/// The color of organizations without a tier.
const NO_TIER_COLOR: &str = "#8c959f";
const NO_TIER: &str = "No tier";

/// An SVG bar chart of sightings per week of `[from, to)`, stacked by tier,
/// with a legend and the figures as a table for screen readers. Every week
/// of the period has a bar group, empty for weeks without sightings.
pub fn weekly_chart(weeks: &[WeekCount], from: Millis, to: Millis) -> String {
    chart(weeks, from, to).into_string()
}

/// A tier as a chart series: `None` for organizations without one.
type Tier = Option<String>;

fn chart(weeks: &[WeekCount], from: Millis, to: Millis) -> Markup {
    let period = period_weeks(from, to);
    let tiers = tiers(weeks);
    let colors = colors(&tiers);
    let mut counts: BTreeMap<(Millis, &Tier), u64> = BTreeMap::new();
    for w in weeks {
        *counts
            .entry((week_start(w.week_start), &w.tier))
            .or_default() += w.sightings;
    }
    let count = |week: Millis, tier: &Tier| counts.get(&(week, tier)).copied().unwrap_or(0);
    let totals: Vec<u64> = period
        .iter()
        .map(|&w| tiers.iter().map(|t| count(w, t)).sum())
        .collect();
    let all: u64 = totals.iter().sum();
    let top = nice_ceiling(totals.iter().copied().max().unwrap_or(0));
    let slot = (WIDTH - LEFT - RIGHT) / period.len().max(1) as f64;
    let bar = slot * BAR;
    let y_of = |value: u64| TOP + PLOT_HEIGHT - height(value, top);
    let mut ticks = vec![0];
    if top >= 2 && top.is_multiple_of(2) {
        ticks.push(top / 2);
    }
    if top > 0 {
        ticks.push(top);
    }
    let label_every = if period.len() > LABELLED_WEEKS { 2 } else { 1 };
    let last_day = day(to.saturating_sub(1).max(from));
    let title = format!(
        "Sightings per week by tier, {} to {last_day}: {all} in all",
        day(from)
    );
    html! {
        figure.chart {
            div.scroll {
                svg.plot viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width="100%"
                    role="img" aria-labelledby="weekly-chart-title" {
                    title #weekly-chart-title { (title) }
                    @for tick in ticks {
                        line.axis x1=(num(LEFT)) x2=(num(WIDTH - RIGHT))
                            y1=(num(y_of(tick))) y2=(num(y_of(tick))) {}
                        text x=(num(LEFT - 6.0)) y=(num(y_of(tick) + 4.0)) text-anchor="end" {
                            (tick)
                        }
                    }
                    @for (i, (&week, &total)) in period.iter().zip(&totals).enumerate() {
                        @let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
                        g.week data-week=(day(week)) {
                            title { "Week of " (day(week)) ": " (total) " " (plural(total)) }
                            @for (segment, color) in stack(&tiers, &colors, |t| count(week, t)) {
                                rect x=(num(x)) y=(num(y_of(segment.1)))
                                    width=(num(bar)) height=(num(height(segment.1 - segment.0, top)))
                                    fill=(color) {}
                            }
                            @if i % label_every == 0 {
                                text x=(num(x + bar / 2.0)) y=(num(HEIGHT - BOTTOM + 18.0))
                                    text-anchor="middle" { (short_day(week)) }
                            }
                        }
                    }
                }
            }
            @if !tiers.is_empty() {
                ul.legend {
                    @for (tier, color) in tiers.iter().zip(&colors) {
                        li {
                            svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" {
                                rect width="12" height="12" rx="2" fill=(color) {}
                            }
                            (tier_name(tier))
                        }
                    }
                }
            }
            table.visually-hidden {
                caption { (title) }
                thead {
                    tr {
                        th scope="col" { "Week of" }
                        @for tier in &tiers { th scope="col" { (tier_name(tier)) } }
                        th scope="col" { "Total" }
                    }
                }
                tbody {
                    @for (&week, &total) in period.iter().zip(&totals) {
                        tr {
                            th scope="row" { (day(week)) }
                            @for tier in &tiers { td { (count(week, tier)) } }
                            td { (total) }
                        }
                    }
                }
            }
        }
    }
}

/// The Mondays starting the weeks that overlap `[from, to)`.
fn period_weeks(from: Millis, to: Millis) -> Vec<Millis> {
    std::iter::successors(Some(week_start(from)), |w| w.checked_add(WEEK))
        .take_while(|&w| w < to)
        .take(MAX_WEEKS)
        .collect()
}

/// The tiers in the chart, by name, organizations without a tier last.
fn tiers(weeks: &[WeekCount]) -> Vec<Tier> {
    let mut tiers: Vec<Tier> = weeks
        .iter()
        .filter(|w| w.sightings > 0)
        .map(|w| w.tier.clone())
        .collect();
    tiers.sort_by_key(|t| (t.is_none(), t.as_ref().map(|n| n.to_lowercase()), t.clone()));
    tiers.dedup();
    tiers
}

/// The stacked segments of one week, bottom first: `((low, high), color)`.
fn stack<'a>(
    tiers: &'a [Tier],
    colors: &'a [&'static str],
    count: impl Fn(&Tier) -> u64 + 'a,
) -> impl Iterator<Item = ((u64, u64), &'static str)> + 'a {
    let mut low = 0;
    tiers.iter().zip(colors).filter_map(move |(tier, &color)| {
        let n = count(tier);
        let segment = (low, low + n);
        low += n;
        (n > 0).then_some((segment, color))
    })
}

/// A color per tier that depends on the tier's name only, unless two tiers
/// on the chart would share one.
fn colors(tiers: &[Tier]) -> Vec<&'static str> {
    let mut taken = [false; PALETTE.len()];
    tiers
        .iter()
        .map(|tier| match tier {
            None => NO_TIER_COLOR,
            Some(name) => {
                let start = fnv1a(&name.to_lowercase()) as usize % PALETTE.len();
                let index = (0..PALETTE.len())
                    .map(|probe| (start + probe) % PALETTE.len())
                    .find(|&i| !taken[i])
                    .unwrap_or(start);
                taken[index] = true;
                PALETTE[index]
            }
        })
        .collect()
}

fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// The top of the scale: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_ceiling(max: u64) -> u64 {
    if max == 0 {
        return 0;
    }
    let mut power: u64 = 1;
    while power.saturating_mul(10) < max {
        power = power.saturating_mul(10);
    }
    [1, 2, 5, 10]
        .into_iter()
        .map(|f| power.saturating_mul(f))
        .find(|&c| c >= max)
        .unwrap_or(max)
}

fn height(value: u64, top: u64) -> f64 {
    if top == 0 {
        0.0
    } else {
        value as f64 / top as f64 * PLOT_HEIGHT
    }
}

fn tier_name(tier: &Tier) -> &str {
    tier.as_deref().unwrap_or(NO_TIER)
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "sighting" } else { "sightings" }
}

/// A coordinate with at most one decimal.
fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::pages::dates::DAY;
    use crate::dashboard::pages::fixtures::NOW;

    fn count(week_start: Millis, tier: Option<&str>, sightings: u64) -> WeekCount {
        WeekCount {
            week_start,
            tier: tier.map(str::to_string),
            sightings,
        }
    }

    fn week_groups(svg: &str) -> Vec<&str> {
        svg.split("<g class=\"week\"").skip(1).collect()
    }

    #[test]
    fn has_a_bar_group_for_every_week_of_the_period() {
        for (days, weeks) in [(7, 2), (30, 5), (90, 14)] {
            let svg = weekly_chart(&[], NOW - days * DAY, NOW);
            assert_eq!(week_groups(&svg).len(), weeks, "{days} days");
            assert!(!svg.contains("<rect x"), "{days} days: no bars");
        }
    }

    #[test]
    fn bars_are_as_high_as_their_figures() {
        let this_week = week_start(NOW);
        let weeks = [
            count(this_week - 2 * WEEK, Some("startup"), 2),
            count(this_week - WEEK, None, 5),
            count(this_week, Some("enterprise"), 4),
            count(this_week, Some("startup"), 6),
        ];
        let svg = weekly_chart(&weeks, NOW - 30 * DAY, NOW);
        let groups = week_groups(&svg);
        assert_eq!(groups.len(), 5);
        // The scale tops at 10 sightings, 200 units high, from y = 12.
        assert!(groups[0].starts_with(" data-week=\"2026-02-02\""));
        assert!(!groups[0].contains("<rect"));
        assert!(!groups[1].contains("<rect"));
        assert!(groups[2].contains(r#"y="172" width="93.5" height="40""#));
        assert!(groups[3].contains(r##"y="112" width="93.5" height="100" fill="#8c959f""##));
        let enterprise = colors(&[Some("enterprise".to_string())])[0];
        assert!(groups[4].contains(&format!(
            r#"y="132" width="93.5" height="80" fill="{enterprise}""#
        )));
        assert!(groups[4].contains(r#"y="12" width="93.5" height="120""#));
        assert!(groups[4].contains("Week of 2026-03-02: 10 sightings"));
        assert!(svg.contains(">Mar 2</text>"));
        assert!(svg.contains(": 17 in all"));
    }

    #[test]
    fn is_accessible_and_responsive() {
        let svg = weekly_chart(
            &[count(week_start(NOW), Some("enterprise"), 3)],
            NOW - 7 * DAY,
            NOW,
        );
        assert!(svg.contains(r#"width="100%""#));
        assert!(svg.contains("viewBox=\"0 0 720 252\""));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"<title id="weekly-chart-title">"#));
        assert!(
            svg.contains(r#"<table class="visually-hidden">"#)
                && svg.contains(r#"<svg class="plot""#)
        );
        assert!(svg.contains("<th scope=\"col\">enterprise</th>"));
    }

    #[test]
    fn colors_are_stable_and_distinct() {
        let tiers: Vec<Tier> = ["enterprise", "startup", "partner", "strategic", "smb"]
            .into_iter()
            .map(|t| Some(t.to_string()))
            .collect();
        let first = colors(&tiers);
        assert_eq!(first, colors(&tiers));
        let mut distinct = first.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), tiers.len());
        assert_eq!(
            colors(&[Some("Enterprise".to_string())]),
            colors(&[Some("enterprise".to_string())])
        );
        assert_eq!(colors(&[None]), [NO_TIER_COLOR]);
    }

    #[test]
    fn scales_to_round_figures() {
        let tops: Vec<u64> = [0, 1, 3, 7, 10, 12, 99, 101]
            .into_iter()
            .map(nice_ceiling)
            .collect();
        assert_eq!(tops, [0, 1, 5, 10, 10, 20, 100, 200]);
    }

    #[test]
    fn escapes_tier_names() {
        let svg = weekly_chart(
            &[count(week_start(NOW), Some("<script>alert(1)</script>"), 1)],
            NOW - 7 * DAY,
            NOW,
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
    }
}
