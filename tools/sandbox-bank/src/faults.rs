//! Fault injection for the resume tests: fail the Nth request, delay every answer, make the CA
//! answer "waiting" N times, drop the connection in the middle of the Nth answer.
//!
//! Spec text (`--faults` and `POST /_test/faults`): comma- or `&`-separated `key=value` pairs,
//! e.g. `fail_nth=3,delay_ms=50`. Setting a spec replaces the previous one and restarts the
//! request count; requests to `/_test/*` are not counted.

use std::sync::Mutex;

/// The switches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultSpec {
    /// Answer HTTP 503 to the Nth request (1-based) after the spec was set.
    pub fail_nth: Option<u64>,
    /// Sleep this long before every answer.
    pub delay_ms: u64,
    /// Answer `waiting` to the next N `ir`/`pollReq`.
    pub cmp_waiting: u32,
    /// Close the connection half-way through the Nth answer.
    pub drop_nth: Option<u64>,
}

impl FaultSpec {
    /// Parses `fail_nth=3,delay_ms=50` (empty = no faults).
    pub fn parse(text: &str) -> Result<FaultSpec, String> {
        let mut spec = FaultSpec::default();
        for part in text
            .split([',', '&', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}`: expected key=value"))?;
            let n: u64 = v
                .trim()
                .parse()
                .map_err(|_| format!("`{part}`: not a number"))?;
            match k.trim() {
                "fail_nth" => spec.fail_nth = (n > 0).then_some(n),
                "drop_nth" => spec.drop_nth = (n > 0).then_some(n),
                "delay_ms" => spec.delay_ms = n.min(60_000),
                "cmp_waiting" => spec.cmp_waiting = u32::try_from(n).unwrap_or(u32::MAX),
                other => return Err(format!("unknown fault switch `{other}`")),
            }
        }
        Ok(spec)
    }
}

/// What to do with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Answer normally.
    Serve,
    /// Answer 503.
    Fail,
    /// Write half the answer and close.
    Drop,
}

#[derive(Debug, Default)]
struct State {
    spec: FaultSpec,
    count: u64,
}

/// The live switches, shared by every connection.
#[derive(Debug, Default)]
pub struct Faults {
    state: Mutex<State>,
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the switches and restarts the count.
    pub fn set(&self, spec: FaultSpec) {
        *self.lock() = State { spec, count: 0 };
    }

    /// The current switches.
    pub fn spec(&self) -> FaultSpec {
        self.lock().spec.clone()
    }

    /// Counts a request and says what to do with it, and how long to wait first.
    pub fn on_request(&self) -> (Action, u64) {
        let mut s = self.lock();
        s.count += 1;
        let n = s.count;
        let action = if s.spec.fail_nth == Some(n) {
            Action::Fail
        } else if s.spec.drop_nth == Some(n) {
            Action::Drop
        } else {
            Action::Serve
        };
        (action, s.spec.delay_ms)
    }

    /// Takes one "waiting" answer if any are left.
    pub fn take_cmp_waiting(&self) -> bool {
        let mut s = self.lock();
        if s.spec.cmp_waiting > 0 {
            s.spec.cmp_waiting -= 1;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_fire_once() {
        let f = Faults::default();
        f.set(FaultSpec::parse("fail_nth=2, drop_nth=3&cmp_waiting=1").unwrap());
        assert_eq!(f.on_request().0, Action::Serve);
        assert_eq!(f.on_request().0, Action::Fail);
        assert_eq!(f.on_request().0, Action::Drop);
        assert_eq!(f.on_request().0, Action::Serve);
        assert!(f.take_cmp_waiting());
        assert!(!f.take_cmp_waiting());
        assert!(FaultSpec::parse("nope=1").is_err());
        assert!(FaultSpec::parse("fail_nth").is_err());
        assert_eq!(FaultSpec::parse("").unwrap(), FaultSpec::default());
    }
}
