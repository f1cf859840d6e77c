// The frames a live stream has received and not yet processed, and the back-pressure they exert:
// past a high mark the raw socket is paused, below a low mark it reads again.
import type { Socket } from 'node:net';

export type FrameData = string | ArrayBuffer;

export interface Marks {
  highFrames: number;
  lowFrames: number;
  highBytes: number;
  lowBytes: number;
}

export interface QueueStats {
  frames: number;
  bytes: number;
  /** The most frames and bytes held at once, since the stream started. */
  peakFrames: number;
  peakBytes: number;
  /** Times the socket was paused. */
  pauses: number;
}

const sizeOf = (data: FrameData) => (typeof data === 'string' ? data.length : data.byteLength);

export class FrameQueue {
  private frames: FrameData[] = [];
  private bytes = 0;
  private peakFrames = 0;
  private peakBytes = 0;
  private pauses = 0;
  private socket: Socket | undefined;
  /** Held paused by this queue (not by undici's own parser). */
  paused = false;

  constructor(
    private readonly marks: Marks,
    private readonly told: (paused: boolean, stats: QueueStats) => void,
  ) {}

  // undici resumes the socket once its parser has drained, whatever our queue holds: while we
  // hold it, pause it again before the next read (a resume takes effect on the next tick).
  private readonly hold = () => {
    if (this.paused) this.socket?.pause();
  };

  /** The socket of a new connection: the one paused from now on. */
  attach(socket: Socket | undefined): void {
    this.detach();
    this.socket = socket;
    socket?.on('resume', this.hold);
  }

  detach(): void {
    this.socket?.off('resume', this.hold);
    this.socket = undefined;
    // Nothing to resume: the connection is gone.
    this.paused = false;
  }

  get length(): number {
    return this.frames.length;
  }

  push(data: FrameData): void {
    this.frames.push(data);
    this.bytes += sizeOf(data);
    this.peakFrames = Math.max(this.peakFrames, this.frames.length);
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    if (this.frames.length > this.marks.highFrames || this.bytes > this.marks.highBytes) this.setPaused(true);
    // A frame came while held: undici read it after resuming the socket itself.
    else if (this.paused) this.socket?.pause();
  }

  /** The oldest `count` frames, in order. */
  take(count: number): FrameData[] {
    const taken = this.frames.splice(0, count);
    for (const data of taken) this.bytes -= sizeOf(data);
    if (this.paused && this.frames.length <= this.marks.lowFrames && this.bytes <= this.marks.lowBytes) this.setPaused(false);
    return taken;
  }

  clear(): void {
    this.frames = [];
    this.bytes = 0;
    this.setPaused(false);
  }

  stats(): QueueStats {
    return { frames: this.frames.length, bytes: this.bytes, peakFrames: this.peakFrames, peakBytes: this.peakBytes, pauses: this.pauses };
  }

  private setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) {
      this.pauses++;
      this.socket?.pause();
    } else if (this.socket && !this.socket.destroyed) this.socket.resume();
    this.told(paused, this.stats());
  }
}
