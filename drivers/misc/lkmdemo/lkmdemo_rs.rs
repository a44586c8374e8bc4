// SPDX-License-Identifier: GPL-2.0

// Copyright (C) 2026 The lkmdemo authors

//! lkmdemo_rs - the lkmdemo FIFO device, written in Rust.
//!
//! `/dev/lkmdemo_rs` is what `/dev/lkmdemo` is: one FIFO byte stream shared by every opener,
//! with pipe(7) semantics and the ioctls of `<uapi/linux/lkmdemo.h>`
//! (Documentation/userspace-api/lkmdemo.rst). The C driver and this one can be loaded side by
//! side; the same kselftest runs against both.
//!
//! What the Rust abstractions of this kernel do not have yet, and what this driver therefore
//! lacks next to the C one (each is a skip with its reason in the kselftest):
//!
//! - `MiscDevice` has no `poll`: poll(), select() and epoll report the device always readable
//!   and writable (the VFS's default mask), so there is no `write_lowat`.
//! - No sysfs attributes on the device, no sysfs files for module parameters: `module!`
//!   parameters are integers set at load only. The counters are in `LKMDEMO_IOC_GET_STATS`.
//! - No `splice_read`/`splice_write`, and the file is not a stream (`stream_open()`): lseek()
//!   fails with `ESPIPE`, but pread() and pwrite() work, and ignore the offset.
//! - `Kiocb` gives no access to the file's flags: `O_NONBLOCK` is taken from open() (set
//!   later with fcntl() it is not seen), and `RWF_NOWAIT` fails with `EOPNOTSUPP`.
//! - `MiscDevice` sets no `.owner`, so an open file does not pin the module (Rust-for-Linux
//!   issue 1182): never unload lkmdemo_rs while `/dev/lkmdemo_rs` is open.
//! - `Mutex` has no interruptible lock: a reader waiting for another reader's copy to user
//!   space cannot be interrupted by a signal (it never waits for data while it holds it).
//! - No exports to C modules, no in-kernel API, no KUnit suite of its own.
//!
//! The structures of `<uapi/linux/lkmdemo.h>` are written out below, field for field, and
//! their sizes checked when this file is compiled: the kernel's `uapi` crate holds only the
//! headers that `rust/uapi/uapi_helper.h` names, and a change there would keep the series
//! from applying to the kernels without Rust that lkmdemo also supports.

use core::{mem::size_of, ptr};
use kernel::{
    container_of,
    fs::{file, File, Kiocb},
    ioctl::{_IOR, _IOWR},
    iov::{IovIterDest, IovIterSource},
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_condvar, new_mutex, new_spinlock,
    prelude::*,
    sync::{Arc, CondVar, Mutex, SpinLock},
    transmute::{AsBytes, FromBytes},
    uaccess::{UserPtr, UserSlice},
};

module! {
    type: LkmdemoRs,
    name: "lkmdemo_rs",
    authors: ["The lkmdemo authors"],
    description: "LKM demonstration driver in Rust: a FIFO misc device",
    license: "GPL",
    params: {
        bufsize: u32 {
            default: 65536,
            description: "FIFO capacity in bytes: a power of two from 4096 (PIPE_BUF) to 1 MiB",
        },
        howmany: u32 {
            default: 1,
            description: "How many times to greet at load (0-100)",
        },
    },
}

/// Writes of at most this many bytes are atomic (pipe(7)); also the size of a copy step.
const PIPE_BUF: usize = 4096;
const BUFSIZE_MIN: u32 = PIPE_BUF as u32;
const BUFSIZE_MAX: u32 = 1 << 20;
const HOWMANY_MAX: u32 = 100;

/// `struct lkmdemo_stats` of `<uapi/linux/lkmdemo.h>`.
#[repr(C)]
#[derive(Default)]
struct Stats {
    bytes_in: u64,
    bytes_out: u64,
    bytes_flushed: u64,
    opens: u64,
    fill: u32,
    capacity: u32,
    openers: u32,
    pad: u32,
}

/// `struct lkmdemo_peek` of `<uapi/linux/lkmdemo.h>`.
#[repr(C)]
struct Peek {
    buf: u64,
    len: u32,
    pad: u32,
}

// The same layout for 32-bit and 64-bit programs: no padding anywhere.
const _: () = assert!(size_of::<Stats>() == 48);
const _: () = assert!(size_of::<Peek>() == 16);

// SAFETY: `Stats` is integers only, without padding (size asserted above).
unsafe impl AsBytes for Stats {}
// SAFETY: `Peek` is integers only, without padding: every bit pattern is a valid value.
unsafe impl FromBytes for Peek {}
// SAFETY: As above.
unsafe impl AsBytes for Peek {}

const LKMDEMO_IOC_MAGIC: u32 = 0x91;
const LKMDEMO_IOC_GET_STATS: u32 = _IOR::<Stats>(LKMDEMO_IOC_MAGIC, 0x00);
const LKMDEMO_IOC_FLUSH: u32 = _IOR::<u64>(LKMDEMO_IOC_MAGIC, 0x01);
const LKMDEMO_IOC_PEEK: u32 = _IOWR::<Peek>(LKMDEMO_IOC_MAGIC, 0x02);

/// The bytes of the FIFO and its counters.
struct Ring {
    buf: KVVec<u8>,
    /// Index in `buf` of the oldest byte.
    head: usize,
    /// Bytes stored.
    fill: usize,
    bytes_in: u64,
    bytes_out: u64,
    bytes_flushed: u64,
    opens: u64,
    openers: u32,
}

impl Ring {
    fn free(&self) -> usize {
        self.buf.len() - self.fill
    }

    /// Copies the bytes from `skip` bytes after the head into `out`, which the fill covers.
    fn peek(&self, skip: usize, out: &mut [u8]) {
        let cap = self.buf.len();
        let start = (self.head + skip) % cap;
        let first = out.len().min(cap - start);
        let (a, b) = out.split_at_mut(first);
        a.copy_from_slice(&self.buf[start..start + first]);
        b.copy_from_slice(&self.buf[..b.len()]);
    }

    /// Removes `n` bytes from the head.
    fn consume(&mut self, n: usize) {
        self.head = (self.head + n) % self.buf.len();
        self.fill -= n;
    }

    /// Appends `data`, for which there is room.
    fn store(&mut self, data: &[u8]) {
        let cap = self.buf.len();
        let tail = (self.head + self.fill) % cap;
        let first = data.len().min(cap - tail);
        self.buf[tail..tail + first].copy_from_slice(&data[..first]);
        self.buf[..data.len() - first].copy_from_slice(&data[first..]);
        self.fill += data.len();
        self.bytes_in += data.len() as u64;
    }
}

/// The FIFO that every open file shares.
///
/// `ring` is a spinlock held only to move bytes between the ring and a kernel buffer, never
/// while copying from or to user space and never while sleeping: the counters never wait for
/// a read() or write() in progress, also on PREEMPT_RT. User memory is copied through kernel
/// buffers outside it. Waiting is done on the condition variables, which release the
/// spinlock while they sleep.
#[pin_data]
struct Fifo {
    #[pin]
    ring: SpinLock<Ring>,
    /// Readers wait here for bytes; notified after every store.
    #[pin]
    readable: CondVar,
    /// Writers wait here for room; notified after every read and flush.
    #[pin]
    writable: CondVar,
    /// One consumer at a time (read, peek, flush), so that the bytes a reader copied out are
    /// the bytes it then removes; the buffer it copies them through.
    #[pin]
    consumer: Mutex<KVVec<u8>>,
}

impl Fifo {
    fn new(capacity: usize) -> Result<Arc<Self>> {
        let buf = KVVec::from_elem(0u8, capacity, GFP_KERNEL)?;
        let bounce = KVVec::from_elem(0u8, PIPE_BUF, GFP_KERNEL)?;
        Arc::pin_init(
            try_pin_init!(Self {
                ring <- new_spinlock!(Ring {
                    buf,
                    head: 0,
                    fill: 0,
                    bytes_in: 0,
                    bytes_out: 0,
                    bytes_flushed: 0,
                    opens: 0,
                    openers: 0,
                }),
                readable <- new_condvar!(),
                writable <- new_condvar!(),
                consumer <- new_mutex!(bounce),
            }),
            GFP_KERNEL,
        )
    }

    /// read(): waits for at least one byte, then returns what is there, up to `to.len()`.
    fn read(&self, to: &mut IovIterDest<'_>, nonblock: bool) -> Result<usize> {
        let want = to.len();
        if want == 0 {
            return Ok(0);
        }
        loop {
            // Wait for bytes without holding `consumer`: a waiting reader stays
            // interruptible, and does not keep others from the bytes that come.
            let mut ring = self.ring.lock();
            while ring.fill == 0 {
                if nonblock {
                    return Err(EAGAIN);
                }
                if self.readable.wait_interruptible(&mut ring) {
                    return Err(ERESTARTSYS);
                }
            }
            drop(ring);

            let mut bounce = self.consumer.lock();
            let mut done = 0;
            while done < want {
                let ring = self.ring.lock();
                let n = (want - done).min(ring.fill).min(bounce.len());
                if n == 0 {
                    break;
                }
                ring.peek(0, &mut bounce[..n]);
                drop(ring);
                // A fault leaves the bytes it did not copy in the FIFO.
                let copied = to.copy_to_iter(&bounce[..n]);
                let mut ring = self.ring.lock();
                ring.consume(copied);
                ring.bytes_out += copied as u64;
                drop(ring);
                self.writable.notify_all();
                done += copied;
                if copied < n {
                    return if done > 0 { Ok(done) } else { Err(EFAULT) };
                }
            }
            if done > 0 {
                return Ok(done);
            }
            // Another reader took the bytes first: wait again.
        }
    }

    /// write(): up to `PIPE_BUF` bytes at once or not at all; more in steps of what fits.
    fn write(&self, from: &mut IovIterSource<'_>, nonblock: bool) -> Result<usize> {
        let total = from.len();
        if total == 0 {
            return Ok(0);
        }
        let atomic = total <= PIPE_BUF;
        let mut chunk = KVVec::from_elem(0u8, total.min(PIPE_BUF), GFP_KERNEL)?;
        let mut written = 0;
        while written < total {
            // Copy from user space outside every lock. A step that faults stores nothing.
            let n = (total - written).min(chunk.len());
            if from.copy_from_iter(&mut chunk[..n]) < n {
                return if written > 0 {
                    Ok(written)
                } else {
                    Err(EFAULT)
                };
            }
            let mut off = 0;
            while off < n {
                let mut ring = self.ring.lock();
                let need = if atomic { n } else { 1 };
                while ring.free() < need {
                    let stored = written + off;
                    if nonblock {
                        return if stored > 0 { Ok(stored) } else { Err(EAGAIN) };
                    }
                    if self.writable.wait_interruptible(&mut ring) {
                        return if stored > 0 {
                            Ok(stored)
                        } else {
                            Err(ERESTARTSYS)
                        };
                    }
                }
                let m = ring.free().min(n - off);
                ring.store(&chunk[off..off + m]);
                drop(ring);
                self.readable.notify_all();
                off += m;
            }
            written += n;
        }
        Ok(written)
    }

    fn stats(&self) -> Stats {
        let ring = self.ring.lock();
        Stats {
            bytes_in: ring.bytes_in,
            bytes_out: ring.bytes_out,
            bytes_flushed: ring.bytes_flushed,
            opens: ring.opens,
            // The capacity is at most 1 MiB.
            fill: ring.fill as u32,
            capacity: ring.buf.len() as u32,
            openers: ring.openers,
            pad: 0,
        }
    }

    /// LKMDEMO_IOC_FLUSH: the count goes to user space before anything is discarded.
    fn flush(&self, arg: UserPtr) -> Result<isize> {
        let _consumer = self.consumer.lock();
        // Only consumers remove bytes, and we are the one: at least `n` stay until we do.
        let n = self.ring.lock().fill;
        UserSlice::new(arg, size_of::<u64>())
            .writer()
            .write(&(n as u64))?;
        let mut ring = self.ring.lock();
        ring.consume(n);
        ring.bytes_flushed += n as u64;
        drop(ring);
        self.writable.notify_all();
        Ok(0)
    }

    /// LKMDEMO_IOC_PEEK: copies from the head without consuming.
    fn peek(&self, arg: UserPtr) -> Result<isize> {
        let (mut reader, mut writer) = UserSlice::new(arg, size_of::<Peek>()).reader_writer();
        let mut args: Peek = reader.read()?;
        if args.pad != 0 {
            return Err(EINVAL);
        }
        // A 32-bit kernel cannot address the upper half.
        let buf = usize::try_from(args.buf).map_err(|_| EFAULT)?;
        let mut bounce = self.consumer.lock();
        // Only consumers remove bytes, and we are the one: the `want` bytes stay.
        let want = (args.len as usize).min(self.ring.lock().fill);
        let mut to = UserSlice::new(UserPtr::from_addr(buf), want).writer();
        let mut done = 0;
        while done < want {
            let n = (want - done).min(bounce.len());
            self.ring.lock().peek(done, &mut bounce[..n]);
            to.write_slice(&bounce[..n])?;
            done += n;
        }
        drop(bounce);
        args.len = want as u32;
        writer.write(&args)?;
        Ok(0)
    }
}

/// An open file of `/dev/lkmdemo_rs`.
struct OpenFile {
    fifo: Arc<Fifo>,
    nonblock: bool,
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        self.fifo.ring.lock().openers -= 1;
    }
}

/// The module: the FIFO, and the misc device that gives it to user space.
#[pin_data(PinnedDrop)]
struct LkmdemoRs {
    /// Deregistered first when the module is dropped: fields drop in this order.
    #[pin]
    misc: MiscDeviceRegistration<OpenFile>,
    fifo: Arc<Fifo>,
}

fn check_params() -> Result<(usize, u32)> {
    let size = *module_parameters::bufsize.value();
    if !size.is_power_of_two() || !(BUFSIZE_MIN..=BUFSIZE_MAX).contains(&size) {
        pr_err!(
            "bufsize={}: must be a power of two from {} to {}\n",
            size,
            BUFSIZE_MIN,
            BUFSIZE_MAX
        );
        return Err(EINVAL);
    }
    let howmany = *module_parameters::howmany.value();
    if howmany > HOWMANY_MAX {
        pr_err!("howmany={}: must be from 0 to {}\n", howmany, HOWMANY_MAX);
        return Err(EINVAL);
    }
    Ok((size as usize, howmany))
}

impl kernel::InPlaceModule for LkmdemoRs {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            // Written before misc: the device can be opened as soon as it is registered.
            fifo: {
                let (size, howmany) = check_params()?;
                let fifo = Fifo::new(size)?;
                for _ in 0..howmany {
                    pr_info!("Hello, world\n");
                }
                fifo
            },
            misc <- MiscDeviceRegistration::register(MiscDeviceOptions {
                name: c"lkmdemo_rs",
            }),
        })
    }
}

#[pinned_drop]
impl PinnedDrop for LkmdemoRs {
    fn drop(self: Pin<&mut Self>) {
        pr_info!("Goodbye, world\n");
    }
}

#[vtable]
impl MiscDevice for OpenFile {
    type Ptr = KBox<Self>;

    fn open(file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<KBox<Self>> {
        // SAFETY: The one registration of `OpenFile` is the `misc` field of the module's
        // `LkmdemoRs`, which stays pinned in place until the module is unloaded, after
        // `misc` is deregistered: no open() can come then.
        let module = unsafe { &*container_of!(ptr::from_ref(misc).cast_mut(), LkmdemoRs, misc) };
        let fifo = module.fifo.clone();
        // Counted before the allocation: if it fails, dropping the OpenFile gives it back.
        fifo.ring.lock().openers += 1;
        let me = KBox::new(
            OpenFile {
                fifo,
                nonblock: file.flags() & file::flags::O_NONBLOCK != 0,
            },
            GFP_KERNEL,
        )?;
        // A successful open, as lkmdemo counts them.
        me.fifo.ring.lock().opens += 1;
        Ok(me)
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let me = kiocb.file();
        me.fifo.read(iov, me.nonblock)
    }

    fn write_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let me = kiocb.file();
        me.fifo.write(iov, me.nonblock)
    }

    fn ioctl(me: &OpenFile, file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let arg = UserPtr::from_addr(arg);
        // PEEK and FLUSH read or discard the contents: like read(), they need read access.
        let readable = matches!(
            file.flags() & file::flags::O_ACCMODE,
            file::flags::O_RDONLY | file::flags::O_RDWR
        );
        match cmd {
            LKMDEMO_IOC_GET_STATS => {
                let st = me.fifo.stats();
                UserSlice::new(arg, size_of::<Stats>())
                    .writer()
                    .write(&st)?;
                Ok(0)
            }
            LKMDEMO_IOC_FLUSH if readable => me.fifo.flush(arg),
            LKMDEMO_IOC_PEEK if readable => me.fifo.peek(arg),
            LKMDEMO_IOC_FLUSH | LKMDEMO_IOC_PEEK => Err(EBADF),
            _ => Err(ENOTTY),
        }
    }
}
