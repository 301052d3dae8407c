//! Service health, as the EigenLayer node API reports it.

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A service's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    /// Working.
    Up,
    /// Failing.
    Down,
    /// Not yet checked.
    Initializing,
}

/// One service the daemon depends on.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    /// Stable id (`l1`, `db`, `l2-<rollup>`, `aggregator-<n>`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Its state.
    pub status: Status,
    /// The last problem, if any (never secrets: endpoints are shown without paths).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The health of every service, updated by the daemon's loops.
#[derive(Debug, Default)]
pub struct Health {
    services: Mutex<BTreeMap<String, Service>>,
}

impl Health {
    /// Declares a service, initially `Initializing`.
    pub fn declare(&self, id: &str, name: &str, description: &str) {
        self.services.lock().expect("health lock").insert(
            id.to_string(),
            Service {
                id: id.into(),
                name: name.into(),
                description: description.into(),
                status: Status::Initializing,
                message: None,
            },
        );
    }

    /// Marks a service up.
    pub fn up(&self, id: &str) {
        self.set(id, Status::Up, None);
    }

    /// Marks a service down with a reason.
    pub fn down(&self, id: &str, message: impl Into<String>) {
        self.set(id, Status::Down, Some(message.into()));
    }

    fn set(&self, id: &str, status: Status, message: Option<String>) {
        if let Some(service) = self.services.lock().expect("health lock").get_mut(id) {
            service.status = status;
            service.message = message;
        }
    }

    /// Every service.
    pub fn services(&self) -> Vec<Service> {
        self.services.lock().expect("health lock").values().cloned().collect()
    }

    /// One service.
    pub fn service(&self, id: &str) -> Option<Service> {
        self.services.lock().expect("health lock").get(id).cloned()
    }

    /// Share of services up, 0–100 (`eigen_performance_score`).
    pub fn score(&self) -> f64 {
        let services = self.services();
        if services.is_empty() {
            return 0.0;
        }
        let up = services.iter().filter(|s| s.status == Status::Up).count();
        100.0 * up as f64 / services.len() as f64
    }

    /// The node's overall health: all up → 200, some up → 206 (partially healthy), none → 503.
    pub fn http_status(&self) -> u16 {
        let services = self.services();
        let up = services.iter().filter(|s| s.status == Status::Up).count();
        match up {
            n if n == services.len() && n > 0 => 200,
            0 => 503,
            _ => 206,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_status_follows_the_spec() {
        let h = Health::default();
        h.declare("l1", "L1", "");
        h.declare("db", "DB", "");
        assert_eq!(h.http_status(), 503, "initializing counts as not up");
        h.up("l1");
        assert_eq!(h.http_status(), 206);
        h.up("db");
        assert_eq!(h.http_status(), 200);
        assert_eq!(h.score(), 100.0);
        h.down("db", "locked");
        assert_eq!(h.http_status(), 206);
        assert_eq!(h.service("db").unwrap().message.as_deref(), Some("locked"));
    }
}
