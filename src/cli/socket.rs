//! The CLI side of the admin socket: send one operation to a running server.

use std::path::Path;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

use crate::service::admin::{Op, Reply};

/// Whether a server answered on the socket.
pub enum Connect {
    /// Boxed: a reply is large and this enum is moved around by value.
    Answered(Box<Reply>),
    /// No socket file, or nobody listening: the server is not running.
    NoServer,
}

pub async fn call(data_dir: &Path, op: &Op) -> anyhow::Result<Connect> {
    call_reporting(data_dir, op, &|_, _| {}).await
}

/// [`call`], handing each progress line the server sends before its answer to `progress`.
pub async fn call_reporting(
    data_dir: &Path,
    op: &Op,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> anyhow::Result<Connect> {
    let path = crate::config::admin_socket(data_dir);
    let stream = match UnixStream::connect(&path).await {
        Ok(s) => s,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(Connect::NoServer)
        }
        Err(e) => {
            return Err(anyhow::anyhow!(
                "cannot connect to {} ({e}); run the command as the user that runs the server",
                path.display()
            ))
        }
    };
    let (r, mut w) = stream.into_split();
    let mut line = serde_json::to_vec(op)?;
    line.push(b'\n');
    w.write_all(&line).await?;
    w.shutdown().await?;
    let mut lines = BufReader::new(r);
    loop {
        let mut reply = String::new();
        lines.read_line(&mut reply).await?;
        if reply.is_empty() {
            anyhow::bail!("the server closed the admin socket without answering; see its log");
        }
        match serde_json::from_str(&reply)? {
            Reply::Progress { done, total } => progress(done, total),
            answer => return Ok(Connect::Answered(Box::new(answer))),
        }
    }
}
