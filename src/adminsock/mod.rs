//! The admin socket: `<data>/admin.sock` (mode 0600; file permissions are the authentication).
//! While the server runs, it holds sled's lock, so the CLI sends its operations here; when the
//! server is stopped, the CLI opens the store itself. Both paths run the same use case,
//! `svc.admin().run` (`service/admin`), which defines the operations.

mod server;

pub use server::listen;
