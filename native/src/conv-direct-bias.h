// native/conv-direct-bias: the backward pass's relu mask and bias gradient in one vector pass, for
// the direct loops' table (conv-direct.h includes it, so it is compiled per ISA the same way: inside
// a per-ISA namespace, after conv.h, <algorithm> and <cstring>).

/** The relu and bias gradient loops for element type T and VB-byte vectors. */
template <typename T, int VB>
struct BiasLoops {
  typedef T V __attribute__((vector_size(VB)));
  static constexpr int L = VB / static_cast<int>(sizeof(T));  // lanes
  // vectors of filters reluBias and biasOnly keep in registers (wider layers take the plain loops)
  static constexpr int kBiasVectors = 8;

  static TESSERA_INLINE V load(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
  static TESSERA_INLINE void store(T* p, V v) { std::memcpy(p, &v, sizeof(V)); }

  /**
   * The relu gradient and the bias gradient of `rows` output rows in one pass: dz = dy where y > 0,
   * else 0 (dz may be dy itself), and db[f] += each row's dz[f] in row order, the accumulators held
   * in registers (db null: no bias). F a multiple of the lanes, at most kBiasVectors vectors.
   */
  static void reluBias(const T* dy, const T* y, i64 rows, i64 F, T* dz, T* db) {
    typedef decltype(V{} > V{}) M;  // lane masks: all ones where the comparison holds
    V acc[kBiasVectors];
    const int nv = static_cast<int>(F / L);
    for (int v = 0; v < nv; v++) acc[v] = db != nullptr ? load(db + v * L) : V{};
    for (i64 r = 0; r < rows; r++) {
      for (int v = 0; v < nv; v++) {
        const i64 at = r * F + v * L;
        const M on = load(y + at) > V{};
        const V d = reinterpret_cast<V>(reinterpret_cast<M>(load(dy + at)) & on);
        store(dz + at, d);
        acc[v] += d;
      }
    }
    if (db != nullptr)
      for (int v = 0; v < nv; v++) store(db + v * L, acc[v]);
  }

  /** The bias gradient alone: db[f] += each row's dz[f] in row order (layout as reluBias). */
  static void biasOnly(const T* dz, i64 rows, i64 F, T* db) {
    V acc[kBiasVectors];
    const int nv = static_cast<int>(F / L);
    for (int v = 0; v < nv; v++) acc[v] = load(db + v * L);
    for (i64 r = 0; r < rows; r++)
      for (int v = 0; v < nv; v++) acc[v] += load(dz + r * F + v * L);
    for (int v = 0; v < nv; v++) store(db + v * L, acc[v]);
  }
};
