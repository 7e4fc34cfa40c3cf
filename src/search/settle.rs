//! Whether the results shown from the postings read so far are final: the threshold test of
//! an index whose large terms are cut into a head, titles and blocks (see [`super::tiers`]),
//! the twin of `settled()` in search.js.
//!
//! The first `limit` results are the ones reading every posting would give when each of them
//! is known whole and matches the query's own words, and nothing else can reach the last one's
//! score: neither a result some term has not listed whole (its `upper`), nor a page no term
//! has listed yet (`outside`). Reading more only adds to scores, so the shown results keep
//! their scores and order; a tie with the last one counts as a possible change.

use super::rank::Scored;

/// True when `ranked` (best first) needs no more tiers for its first `limit` results;
/// `outside` is the highest score a result not in `ranked` could still reach (None when every
/// term of the query is read whole).
pub(crate) fn settled(ranked: &[&Scored], outside: Option<f64>, limit: usize) -> bool {
    let pending = outside.is_some() || ranked.iter().any(|s| s.upper.is_some());
    if !pending {
        return true;
    }
    let shown = &ranked[..limit.min(ranked.len())];
    if shown.len() < limit || shown.iter().any(|s| !s.own || s.upper.is_some()) {
        return false;
    }
    let Some(last) = shown.last() else {
        return true;
    };
    outside.is_none_or(|bound| bound < last.score)
        && ranked[limit..]
            .iter()
            .all(|s| s.upper.is_none_or(|bound| bound < last.score))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(score: f64, own: bool, upper: Option<f64>) -> Scored {
        Scored {
            score,
            section: 0,
            own,
            more: Vec::new(),
            upper,
        }
    }

    #[test]
    fn shown_results_are_final_only_when_nothing_unread_can_reach_the_last_one() {
        let a = scored(9.0, true, None);
        let b = scored(7.0, true, None);
        let c = scored(3.0, true, Some(6.5));
        let ranked = [&a, &b, &c];
        assert!(settled(&ranked, Some(6.9), 2));
        // A page not listed yet could tie with the second result.
        assert!(!settled(&ranked, Some(7.0), 2));
        // The third result could pass the last one shown.
        assert!(settled(&ranked, Some(1.0), 1));
        let d = scored(3.0, true, Some(7.5));
        assert!(!settled(&[&a, &b, &d], Some(1.0), 2));
        // A shown result not read whole, too few results, or a synonym-only last result.
        assert!(!settled(&ranked, Some(1.0), 3));
        assert!(!settled(&ranked, Some(1.0), 4));
        let e = scored(8.0, false, None);
        assert!(!settled(&[&a, &e], Some(1.0), 2));
        // Nothing unread: always final.
        assert!(settled(&[&a, &e], None, 5));
    }
}
