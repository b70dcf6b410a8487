namespace Berth.Images.Content;

/// <summary>
/// A whole content store: read, ingest, delete and walk. Callers should take the narrowest of the
/// four interfaces they need (a layer applier only needs <see cref="IBlobReader"/>); this one is
/// for whoever assembles the engine.
/// </summary>
public interface IContentStore : IBlobReader, IBlobIngester, IBlobDeleter, IBlobWalker;
