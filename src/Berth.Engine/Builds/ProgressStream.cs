namespace Berth.Engine.Builds;

/// <summary>A write-only stream that hands what a step's process writes to the progress display.</summary>
internal sealed class ProgressStream(IBuildProgress progress, BuildStep step) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => progress.Output(step, buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer) => progress.Output(step, buffer);
}
