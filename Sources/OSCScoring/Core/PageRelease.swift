// Moving a large byte array's contents to the end of another while giving
// its memory back to the system as it goes.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum PageRelease {
    /// Appends `source` to `destination` a megabyte at a time, telling the
    /// system after each megabyte that the whole pages of `source` already
    /// copied are no longer needed (`madvise(MADV_DONTNEED)`), then empties
    /// `source`. Both are then never resident in full at once, which keeps
    /// the peak memory of joining two halves of a file near that of the
    /// result. Only pages lying wholly inside `source`'s elements are
    /// released, and `source` is not read again; where `madvise` is not
    /// available this is a plain append.
    static func move(_ source: inout [UInt8], appendingTo destination: inout [UInt8]) {
        destination.reserveCapacity(destination.count + source.count)
        let step = 1 << 20
        let page = pageSize
        source.withUnsafeMutableBufferPointer { source in
            guard let base = source.baseAddress else { return }
            let address = UInt(bitPattern: base)
            var released = (address + UInt(page) - 1) & ~UInt(page - 1)  // first whole page
            var start = 0
            while start < source.count {
                let end = min(source.count, start + step)
                destination.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
                let limit = (address + UInt(end)) & ~UInt(page - 1)  // end of the last whole page copied
                if limit > released {
                    release(UnsafeMutableRawPointer(bitPattern: released)!, count: Int(limit - released))
                    released = limit
                }
                start = end
            }
        }
        source = []
    }

    private static let pageSize: Int = {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        let size = Int(sysconf(Int32(_SC_PAGESIZE)))
        return size > 0 ? size : 4096
        #else
        return 4096
        #endif
    }()

    private static func release(_ start: UnsafeMutableRawPointer, count: Int) {
        #if canImport(Glibc) || canImport(Musl)
        _ = madvise(start, count, Int32(MADV_DONTNEED))
        #elseif canImport(Darwin)
        _ = madvise(start, count, MADV_FREE)
        #endif
    }
}
