//! The transactions both backends run, written once.
//!
//! The SQL is the same for SQLite and PostgreSQL (both take `$N` placeholders and
//! `ON CONFLICT … DO NOTHING`). What differs is passed in: how a write transaction begins
//! (SQLite: `BEGIN IMMEDIATE`, which takes the database's write lock up front; PostgreSQL: a
//! plain `BEGIN`, with concurrent inserts of one key serialized by the primary-key index) and how
//! an existing record is locked for the rest of the transaction (PostgreSQL: `FOR UPDATE`;
//! SQLite needs nothing, as it already holds the write lock).

/// Implements the identity binding and [`Backend`](super::Backend) for a store type with fields
/// `pool` and `domain`.
macro_rules! impl_backend {
    (
        store: $store:ty,
        name: $name:literal,
        database: $db:ty,
        pool: $pool:ty,
        begin: |$pool_ident:ident| $begin:expr,
        lock_suffix: $lock:literal $(,)?
    ) => {
        /// Binds a fresh database to `identity`, or checks that it is bound to it.
        async fn bind_identity(pool: &$pool, identity: &$crate::Identity) -> $crate::Result<()> {
            let $pool_ident = pool;
            let mut tx = $begin.await?;
            sqlx::query(
                "INSERT INTO slashing_protection_identity (id, chain_id, attestation_center, \
                 pubkey) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind($crate::record::to_db(identity.chain_id))
            .bind(identity.attestation_center.as_slice())
            .bind(identity.pubkey.to_compressed().as_slice())
            .execute(&mut *tx)
            .await?;
            let (chain_id, center, pubkey): (i64, Vec<u8>, Vec<u8>) = sqlx::query_as(
                "SELECT chain_id, attestation_center, pubkey FROM slashing_protection_identity \
                 WHERE id = 1",
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            super::check_identity(super::decode_identity(chain_id, &center, &pubkey)?, identity)
        }

        impl $store {
            /// The record of one batch, read (and, where the backend needs it, locked) inside
            /// `tx`.
            async fn record_in(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                rollup_id: u64,
                batch_index: u64,
            ) -> $crate::Result<Option<$crate::SignedRecord>> {
                let raw: Option<$crate::record::RawRecord> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::record::record_columns!(),
                    " FROM slashing_protection_checkpoints \
                     WHERE rollup_id = $1 AND batch_index = $2",
                    $lock
                ))
                .bind($crate::record::to_db(rollup_id))
                .bind($crate::record::to_db(batch_index))
                .fetch_optional(&mut **tx)
                .await?;
                raw.map(|raw| $crate::record::decode(raw, &self.domain)).transpose()
            }

            /// Inserts a checkpoint without a signature unless its batch has a record. True if
            /// inserted: the transaction then owns the record.
            async fn insert_in(
                tx: &mut sqlx::Transaction<'static, $db>,
                checkpoint: &rampart_primitives::Checkpoint,
                signing_root: &alloy_primitives::B256,
            ) -> $crate::Result<bool> {
                let inserted = sqlx::query(
                    "INSERT INTO slashing_protection_checkpoints (rollup_id, batch_index, \
                     l2_block_number, l2_block_hash, state_root, signing_root) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (rollup_id, batch_index) DO NOTHING",
                )
                .bind($crate::record::to_db(checkpoint.rollup_id.0))
                .bind($crate::record::to_db(checkpoint.batch_index))
                .bind($crate::record::to_db(checkpoint.l2_block_number))
                .bind(checkpoint.l2_block_hash.as_slice())
                .bind(checkpoint.state_root.as_slice())
                .bind(signing_root.as_slice())
                .execute(&mut **tx)
                .await?
                .rows_affected();
                Ok(inserted == 1)
            }

            /// The record that made an insert conflict.
            async fn conflicting_record_in(
                &self,
                tx: &mut sqlx::Transaction<'static, $db>,
                checkpoint: &rampart_primitives::Checkpoint,
            ) -> $crate::Result<$crate::SignedRecord> {
                self.record_in(tx, checkpoint.rollup_id.0, checkpoint.batch_index)
                    .await?
                    .ok_or_else(|| {
                        $crate::Error::Corrupt(format!(
                            "rollup {} batch {}: the insert conflicted, yet there is no record",
                            checkpoint.rollup_id, checkpoint.batch_index
                        ))
                    })
            }
        }

        impl super::Backend for $store {
            fn name(&self) -> &'static str {
                $name
            }

            async fn sign<F>(
                &self,
                checkpoint: &rampart_primitives::Checkpoint,
                digest: alloy_primitives::B256,
                signer: F,
            ) -> $crate::Result<rampart_crypto::Signature>
            where
                F: FnOnce(&alloy_primitives::B256) -> $crate::Result<rampart_crypto::Signature>,
            {
                let $pool_ident = &self.pool;
                let mut tx = $begin.await?;
                if !Self::insert_in(&mut tx, checkpoint, &digest).await? {
                    let record = self.conflicting_record_in(&mut tx, checkpoint).await?;
                    match $crate::record::judge(&record, checkpoint) {
                        // Imported without a signature: ours to sign, under the lock.
                        Ok($crate::record::OnRecord::Unsigned) => {}
                        Ok($crate::record::OnRecord::Signed(signature)) => {
                            tx.rollback().await?;
                            return Ok(signature);
                        }
                        Err(refused) => {
                            tx.rollback().await?;
                            return Err(refused);
                        }
                    }
                }
                // This transaction owns the record: the only place a signature is made. An
                // error from here on drops `tx`, which rolls the record back.
                let signature = signer(&digest)?;
                let updated = sqlx::query(
                    "UPDATE slashing_protection_checkpoints SET signature = $1 \
                     WHERE rollup_id = $2 AND batch_index = $3",
                )
                .bind(signature.to_compressed().as_slice())
                .bind($crate::record::to_db(checkpoint.rollup_id.0))
                .bind($crate::record::to_db(checkpoint.batch_index))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if updated != 1 {
                    return Err($crate::Error::Corrupt(format!(
                        "storing the signature updated {updated} rows"
                    )));
                }
                // Durable before the signature leaves: only a successful commit returns it.
                tx.commit().await?;
                Ok(signature)
            }

            async fn get(
                &self,
                rollup_id: u64,
                batch_index: u64,
            ) -> $crate::Result<Option<$crate::SignedRecord>> {
                let raw: Option<$crate::record::RawRecord> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::record::record_columns!(),
                    " FROM slashing_protection_checkpoints \
                     WHERE rollup_id = $1 AND batch_index = $2"
                ))
                .bind($crate::record::to_db(rollup_id))
                .bind($crate::record::to_db(batch_index))
                .fetch_optional(&self.pool)
                .await?;
                raw.map(|raw| $crate::record::decode(raw, &self.domain)).transpose()
            }

            async fn all(&self) -> $crate::Result<Vec<$crate::SignedRecord>> {
                let raws: Vec<$crate::record::RawRecord> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::record::record_columns!(),
                    " FROM slashing_protection_checkpoints"
                ))
                .fetch_all(&self.pool)
                .await?;
                raws.into_iter().map(|raw| $crate::record::decode(raw, &self.domain)).collect()
            }

            async fn import(
                &self,
                records: &[(rampart_primitives::Checkpoint, alloy_primitives::B256)],
            ) -> $crate::Result<$crate::ImportReport> {
                let mut report = $crate::ImportReport::default();
                let $pool_ident = &self.pool;
                let mut tx = $begin.await?;
                for (checkpoint, signing_root) in records {
                    if Self::insert_in(&mut tx, checkpoint, signing_root).await? {
                        report.imported += 1;
                        continue;
                    }
                    let existing = self.conflicting_record_in(&mut tx, checkpoint).await?;
                    if existing.checkpoint == *checkpoint {
                        report.already_recorded += 1;
                    } else {
                        report.conflicts.push($crate::ImportConflict {
                            existing: existing.checkpoint,
                            rejected: *checkpoint,
                        });
                    }
                }
                tx.commit().await?;
                Ok(report)
            }

            async fn close(&self) {
                self.pool.close().await
            }
        }
    };
}

pub(super) use impl_backend;
