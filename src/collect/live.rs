//! The real MTProto transport: grammers 0.11 (crates.io), compiled with `--features mtproto`.
//!
//! Requests go through `raw_invoke_in_dc` so the exact response bodies are kept as evidence
//! before anything parses them. The session lives in memory only: no authorization key is
//! written to disk, so the collector leaves no reusable login behind on the laptop.

use super::{CollectError, ConnectionInfo, SignIn, Transport};
use grammers_client::client::{LoginToken, PasswordToken};
use grammers_client::session::Session as _;
use grammers_client::session::storages::MemorySession;
use grammers_client::{Client, InvocationError, SenderPool, SignInError, tl};
use grammers_mtsender::{ConnectionParams, SenderPoolHandle};
use std::sync::Arc;
use zeroize::Zeroizing;

/// How the collector introduces itself to Telegram; shown in the account's session list.
pub const DEVICE_MODEL: &str = "sessionproof collector";

/// A live connection to Telegram.
pub struct LiveTransport {
    runtime: tokio::runtime::Runtime,
    client: Client,
    raw: SenderPoolHandle,
    session: Arc<MemorySession>,
    api_id: i32,
    api_hash: Zeroizing<String>,
    params: (String, String, String),
    login: Option<LoginToken>,
    password: Option<PasswordToken>,
}

impl LiveTransport {
    /// Starts the sender pool; nothing is sent until the first call.
    pub fn connect(api_id: i32, api_hash: Zeroizing<String>) -> Result<Self, CollectError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| CollectError::Network(format!("cannot start the network runtime: {e}")))?;
        let session = Arc::new(MemorySession::default());
        let params = ConnectionParams {
            device_model: DEVICE_MODEL.into(),
            app_version: crate::TOOL_VERSION.into(),
            ..Default::default()
        };
        let announced = (params.device_model.clone(), params.system_version.clone(), params.app_version.clone());
        let _guard = runtime.enter();
        let SenderPool { runner, handle, .. } = SenderPool::with_configuration(Arc::clone(&session), api_id, params);
        let raw = handle.thin.clone();
        let client = Client::new(handle);
        runtime.spawn(runner.run());
        Ok(LiveTransport {
            runtime,
            client,
            raw,
            session,
            api_id,
            api_hash,
            params: announced,
            login: None,
            password: None,
        })
    }
}

fn net(e: InvocationError) -> CollectError {
    match e {
        InvocationError::Rpc(rpc) if rpc.name == "PHONE_NUMBER_INVALID" => CollectError::NoAccount,
        InvocationError::Rpc(rpc) => CollectError::Refused(format!("{} ({})", rpc.name, rpc.code)),
        other => CollectError::Network(other.to_string()),
    }
}

impl Transport for LiveTransport {
    fn connection(&self) -> ConnectionInfo {
        ConnectionInfo {
            dc_id: self.session.home_dc_id().unwrap_or(0),
            layer: tl::LAYER,
            api_id: self.api_id,
            device_model: self.params.0.clone(),
            system_version: self.params.1.clone(),
            app_version: self.params.2.clone(),
            library: "grammers 0.11.0".into(),
        }
    }

    fn is_authorized(&mut self) -> Result<bool, CollectError> {
        self.runtime.block_on(self.client.is_authorized()).map_err(net)
    }

    fn request_code(&mut self, phone: &str) -> Result<(), CollectError> {
        let token = self.runtime.block_on(self.client.request_login_code(phone, &self.api_hash)).map_err(net)?;
        self.login = Some(token);
        Ok(())
    }

    fn sign_in(&mut self, code: &str) -> Result<SignIn, CollectError> {
        let token = self.login.as_ref().ok_or_else(|| CollectError::Input("no login code was requested".into()))?;
        match self.runtime.block_on(self.client.sign_in(token, code)) {
            Ok(_) => Ok(SignIn::Done),
            Err(SignInError::PasswordRequired(pt)) => {
                let hint = pt.hint().map(str::to_string);
                self.password = Some(pt);
                Ok(SignIn::PasswordNeeded { hint })
            }
            Err(SignInError::InvalidCode) => Err(CollectError::InvalidCode),
            Err(SignInError::SignUpRequired) => Err(CollectError::NoAccount),
            Err(SignInError::InvalidPassword(_)) => Err(CollectError::InvalidPassword),
            Err(SignInError::Other(e)) => Err(net(e)),
        }
    }

    fn check_password(&mut self, password: &str) -> Result<(), CollectError> {
        let token = self.password.take().ok_or_else(|| CollectError::Input("no password was asked for".into()))?;
        match self.runtime.block_on(self.client.check_password(token, password.as_bytes())) {
            Ok(_) => Ok(()),
            Err(SignInError::InvalidPassword(_)) => Err(CollectError::InvalidPassword),
            Err(SignInError::Other(e)) => Err(net(e)),
            Err(_) => Err(CollectError::Refused("the password step failed".into())),
        }
    }

    fn invoke_raw(&mut self, request: &[u8]) -> Result<Vec<u8>, CollectError> {
        let dc = self.session.home_dc_id().map_err(|e| CollectError::Network(e.to_string()))?;
        self.runtime.block_on(self.raw.raw_invoke_in_dc(dc, request.to_vec())).map_err(net)
    }

    fn log_out(&mut self) -> Result<(), CollectError> {
        self.runtime.block_on(self.client.sign_out()).map(|_| ()).map_err(net)
    }
}
