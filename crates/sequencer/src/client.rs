//! An HTTP client of the sequencer's API (the generator's and the operators').

use alloy::primitives::B256;
use rampart_reference_rollup::{Batch, SignedTransfer};
use serde::Deserialize;
use std::time::Duration;

/// A batch as `GET /v1/batches/{index}` serves it.
#[derive(Debug, Clone, Deserialize)]
pub struct BatchData {
    /// The batch.
    pub batch: Batch,
    /// The commitment the sequencer computed (a reader recomputes and compares it with L1's).
    pub commitment: B256,
    /// Whether the sequencer saw it committed on L1.
    pub committed_on_l1: bool,
}

/// An account as `GET /v1/accounts/{index}` serves it (pending transfers included).
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct AccountView {
    /// Balance.
    pub balance: u64,
    /// Next nonce.
    pub nonce: u64,
}

/// What went wrong talking to the sequencer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Transport failure or a 5xx.
    #[error("sequencer {url}: {message}")]
    Unavailable {
        /// The URL.
        url: String,
        /// What failed.
        message: String,
    },
    /// The sequencer refused the request (4xx) with this message.
    #[error("sequencer refused ({status}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The `message` of the JSON error.
        message: String,
    },
}

/// The client.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    /// A client of the sequencer at `base` (e.g. `http://127.0.0.1:9400`).
    pub fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("a plain HTTP client always builds");
        Self { base: base.trim_end_matches('/').to_string(), http }
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Option<T>, ClientError> {
        let url = format!("{}{path}", self.base);
        let unavailable = |e: reqwest::Error| ClientError::Unavailable {
            url: url.clone(),
            message: e.to_string(),
        };
        let response = self.http.get(&url).send().await.map_err(unavailable)?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let response = check(response).await?;
        response.json().await.map(Some).map_err(unavailable)
    }

    /// A batch, or `None` when the sequencer has not sealed it.
    pub async fn batch(&self, index: u64) -> Result<Option<BatchData>, ClientError> {
        self.get(&format!("/v1/batches/{index}")).await
    }

    /// An account, or `None` when it does not exist.
    pub async fn account(&self, index: u32) -> Result<Option<AccountView>, ClientError> {
        self.get(&format!("/v1/accounts/{index}")).await
    }

    /// Sends a transfer.
    pub async fn submit(&self, tx: &SignedTransfer) -> Result<(), ClientError> {
        let url = format!("{}/v1/transactions", self.base);
        let response =
            self.http.post(&url).json(tx).send().await.map_err(|e| ClientError::Unavailable {
                url: url.clone(),
                message: e.to_string(),
            })?;
        check(response).await.map(|_| ())
    }
}

async fn check(response: reqwest::Response) -> Result<reqwest::Response, ClientError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let url = response.url().to_string();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    let message = body["message"].as_str().unwrap_or("no message").to_string();
    if status.is_client_error() {
        Err(ClientError::Refused { status: status.as_u16(), message })
    } else {
        Err(ClientError::Unavailable { url, message: format!("{status}: {message}") })
    }
}
