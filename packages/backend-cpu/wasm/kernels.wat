;; graft's WebAssembly SIMD kernels for the CPU backend (float32 only).
;;
;; Assembled at build time by ../scripts/build-wasm.mjs (wabt), which also expands two macros so one
;; source gives every variant the runtime may pick at start-up:
;;   (fma $acc $x $y)   acc += x·y on f32x4: f32x4.mul + f32x4.add, or one f32x4.relaxed_madd
;;                      (a fused multiply-add) in the variant used where the runtime validates
;;                      relaxed SIMD;
;;   SHARED             `shared` in the variant whose memory worker threads share, nothing in the
;;                      single-threaded one (a browser without cross-origin isolation);
;;   (exp4! $arg)       $exp4's body inlined on the f32x4 expression $arg (likewise tanh4! and
;;                      sigmoid4!), in a function that declares INLINE_LOCALS (their scratch
;;                      locals): V8 in Node 20 does not inline calls between wasm functions, and a
;;                      call per vector costs as much as the polynomial.
;;
;; Every pointer is a byte address in the imported memory; strides are in elements. The JavaScript
;; side (src/wasm/*.ts) copies operands in, lays out scratch space and copies results out; these
;; functions never allocate.
(module
  (import "env" "memory" (memory 1 32768 SHARED))

  ;; ---- matmul ---------------------------------------------------------------------------------
  ;; C = A·B in the GotoBLAS shape: B is packed once into panels of 8 columns (zero-padded past N),
  ;; so the innermost kernel reads B as two aligned f32x4 per k; A is read in place through its
  ;; strides with load32_splat (a transposed A costs nothing extra). A 4×8 tile of C lives in eight
  ;; f32x4 registers for a whole K block: per k, 2 loads of B and 4 of A feed 8 multiply-adds.

  ;; Packs B[k, j] (at $b, strides $sbk, $sbn) into $dst: for each block of $KC rows of k, for each
  ;; panel of 8 columns, kc rows of 8 floats. Block p0 starts at float p0·N8 (N8 = N rounded up to 8).
  (func (export "packB") (param $b i32) (param $sbk i32) (param $sbn i32) (param $K i32) (param $N i32)
                         (param $KC i32) (param $dst i32)
    (local $p0 i32) (local $kc i32) (local $j0 i32) (local $k i32) (local $c i32) (local $src i32)
    (local $rowFull i32)
    (block $doneP (loop $nextP
      (br_if $doneP (i32.ge_s (local.get $p0) (local.get $K)))
      (local.set $kc (select (local.get $KC) (i32.sub (local.get $K) (local.get $p0))
                             (i32.lt_s (local.get $KC) (i32.sub (local.get $K) (local.get $p0)))))
      (local.set $j0 (i32.const 0))
      (block $doneJ (loop $nextJ
        (br_if $doneJ (i32.ge_s (local.get $j0) (local.get $N)))
        ;; a full panel of a row-contiguous B is two vector copies per k
        (local.set $rowFull (i32.and (i32.eq (local.get $sbn) (i32.const 1))
                                     (i32.le_s (i32.add (local.get $j0) (i32.const 8)) (local.get $N))))
        (local.set $k (i32.const 0))
        (block $doneK (loop $nextK
          (br_if $doneK (i32.ge_s (local.get $k) (local.get $kc)))
          (local.set $src (i32.add (local.get $b) (i32.shl
            (i32.add (i32.mul (i32.add (local.get $p0) (local.get $k)) (local.get $sbk))
                     (i32.mul (local.get $j0) (local.get $sbn))) (i32.const 2))))
          (if (local.get $rowFull)
            (then
              (v128.store (local.get $dst) (v128.load (local.get $src)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src))))
            (else
              (local.set $c (i32.const 0))
              (block $doneC (loop $nextC
                (br_if $doneC (i32.ge_s (local.get $c) (i32.const 8)))
                (f32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
                  (if (result f32) (i32.lt_s (i32.add (local.get $j0) (local.get $c)) (local.get $N))
                    (then (f32.load (i32.add (local.get $src)
                            (i32.shl (i32.mul (local.get $c) (local.get $sbn)) (i32.const 2)))))
                    (else (f32.const 0))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $nextC)))))
          (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $nextK)))
        (local.set $j0 (i32.add (local.get $j0) (i32.const 8)))
        (br $nextJ)))
      (local.set $p0 (i32.add (local.get $p0) (local.get $KC)))
      (br $nextP))))

  ;; One 4×8 tile over one K block: C[0..4, 0..8] (= or +=) Σ_k A[r, k]·Bpanel[k, 0..8].
  ;; $sam, $sak, $ldc are byte strides here.
  (func $tile4x8 (param $pa i32) (param $sam i32) (param $sak i32) (param $pb i32)
                 (param $pc i32) (param $ldc i32) (param $kc i32) (param $first i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $a v128)
    (local $s2 i32) (local $s3 i32) (local $end i32) (local $p i32)
    (local.set $s2 (i32.add (local.get $sam) (local.get $sam)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $sam)))
    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $pb) (local.get $end)))
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $a (v128.load32_splat (local.get $pa)))
      (fma $c00 $a $b0) (fma $c01 $a $b1)
      (local.set $a (v128.load32_splat (i32.add (local.get $pa) (local.get $sam))))
      (fma $c10 $a $b0) (fma $c11 $a $b1)
      (local.set $a (v128.load32_splat (i32.add (local.get $pa) (local.get $s2))))
      (fma $c20 $a $b0) (fma $c21 $a $b1)
      (local.set $a (v128.load32_splat (i32.add (local.get $pa) (local.get $s3))))
      (fma $c30 $a $b0) (fma $c31 $a $b1)
      (local.set $pa (i32.add (local.get $pa) (local.get $sak)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br $next)))
    ;; later K blocks add to what the first one stored
    (if (i32.eqz (local.get $first)) (then
      (local.set $p (local.get $pc))
      (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $p))))
      (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $p))))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $p))))
      (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $p))))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $p))))
      (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $p))))
      (local.set $p (i32.add (local.get $p) (local.get $ldc)))
      (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $p))))
      (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $p))))))
    (v128.store (local.get $pc) (local.get $c00))
    (v128.store offset=16 (local.get $pc) (local.get $c01))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store (local.get $pc) (local.get $c10))
    (v128.store offset=16 (local.get $pc) (local.get $c11))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store (local.get $pc) (local.get $c20))
    (v128.store offset=16 (local.get $pc) (local.get $c21))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store (local.get $pc) (local.get $c30))
    (v128.store offset=16 (local.get $pc) (local.get $c31)))

  ;; The same for one leftover row (M not a multiple of 4).
  (func $tile1x8 (param $pa i32) (param $sak i32) (param $pb i32) (param $pc i32) (param $kc i32) (param $first i32)
    (local $c0 v128) (local $c1 v128) (local $a v128) (local $end i32)
    (local.set $end (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $pb) (local.get $end)))
      (local.set $a (v128.load32_splat (local.get $pa)))
      (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (local.get $a) (v128.load (local.get $pb)))))
      (local.set $c1 (f32x4.add (local.get $c1) (f32x4.mul (local.get $a) (v128.load offset=16 (local.get $pb)))))
      (local.set $pa (i32.add (local.get $pa) (local.get $sak)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br $next)))
    (if (i32.eqz (local.get $first)) (then
      (local.set $c0 (f32x4.add (local.get $c0) (v128.load (local.get $pc))))
      (local.set $c1 (f32x4.add (local.get $c1) (v128.load offset=16 (local.get $pc))))))
    (v128.store (local.get $pc) (local.get $c0))
    (v128.store offset=16 (local.get $pc) (local.get $c1)))

  ;; Rows [$m0, $m1) of C (row stride $ldc = N8 floats) = A·Bpacked. Blocked K ($KC rows of packed B
  ;; per block, a panel of kc×8 floats = 8 KiB at kc = 256 stays in L1 while every row of the
  ;; $MC-row block of A — in L2 — passes over it). Worker threads call this on disjoint row ranges.
  (func (export "gemm") (param $a i32) (param $sam i32) (param $sak i32) (param $bp i32) (param $c i32)
                        (param $m0 i32) (param $m1 i32) (param $K i32) (param $N8 i32) (param $KC i32) (param $MC i32)
    (local $p0 i32) (local $kc i32) (local $ic i32) (local $ie i32) (local $jp i32) (local $i i32)
    (local $panel i32) (local $first i32) (local $samB i32) (local $sakB i32) (local $ldcB i32)
    (local.set $samB (i32.shl (local.get $sam) (i32.const 2)))
    (local.set $sakB (i32.shl (local.get $sak) (i32.const 2)))
    (local.set $ldcB (i32.shl (local.get $N8) (i32.const 2)))
    (block $doneP (loop $nextP
      (br_if $doneP (i32.ge_s (local.get $p0) (local.get $K)))
      (local.set $kc (select (local.get $KC) (i32.sub (local.get $K) (local.get $p0))
                             (i32.lt_s (local.get $KC) (i32.sub (local.get $K) (local.get $p0)))))
      (local.set $first (i32.eqz (local.get $p0)))
      (local.set $ic (local.get $m0))
      (block $doneI (loop $nextI
        (br_if $doneI (i32.ge_s (local.get $ic) (local.get $m1)))
        (local.set $ie (select (i32.add (local.get $ic) (local.get $MC)) (local.get $m1)
                               (i32.lt_s (i32.add (local.get $ic) (local.get $MC)) (local.get $m1))))
        (local.set $jp (i32.const 0))
        (block $doneJ (loop $nextJ
          (br_if $doneJ (i32.ge_s (local.get $jp) (local.get $N8)))
          (local.set $panel (i32.add (local.get $bp) (i32.shl
            (i32.add (i32.mul (local.get $p0) (local.get $N8)) (i32.mul (local.get $jp) (local.get $kc))) (i32.const 2))))
          (local.set $i (local.get $ic))
          (block $done4 (loop $next4
            (br_if $done4 (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $ie)))
            (call $tile4x8
              (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $samB)) (i32.mul (local.get $p0) (local.get $sakB))))
              (local.get $samB) (local.get $sakB) (local.get $panel)
              (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldcB)) (i32.shl (local.get $jp) (i32.const 2))))
              (local.get $ldcB) (local.get $kc) (local.get $first))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next4)))
          (block $done1 (loop $next1
            (br_if $done1 (i32.ge_s (local.get $i) (local.get $ie)))
            (call $tile1x8
              (i32.add (local.get $a) (i32.add (i32.mul (local.get $i) (local.get $samB)) (i32.mul (local.get $p0) (local.get $sakB))))
              (local.get $sakB) (local.get $panel)
              (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldcB)) (i32.shl (local.get $jp) (i32.const 2))))
              (local.get $kc) (local.get $first))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next1)))
          (local.set $jp (i32.add (local.get $jp) (i32.const 8)))
          (br $nextJ)))
        (local.set $ic (local.get $ie))
        (br $nextI)))
      (local.set $p0 (i32.add (local.get $p0) (local.get $KC)))
      (br $nextP))))

  ;; ---- elementwise: polynomial exp and tanh on f32x4 ------------------------------------------
  ;; exp (Cephes expf): x = n·ln2 + r with n = nearest(x·log2 e), |r| ≤ ln2/2, exp r by a degree-6
  ;; polynomial (float32-accurate on that range), then ·2^n. 2^n is applied as two factors
  ;; 2^(n>>1)·2^(n−(n>>1)) so that n from −150 to 128 needs no special case: results that overflow
  ;; become +∞ and ones below the smallest subnormal 0, by the multiplications themselves. x is
  ;; clamped to [−104, 89] first (beyond, the result is 0 or ∞ anyway); f32x4.min/max keep NaN.
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $ni v128) (local $h v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) (v128.const f32x4 89 89 89 89))
                             (v128.const f32x4 -104 -104 -104 -104)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    ;; r = x − n·ln2 with ln2 split in two so n·ln2_hi is exact
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
                             (v128.const f32x4 1 1 1 1)))
    ;; 2^h · 2^(n−h) built in the exponent field: (k + 127) << 23
    (local.set $ni (i32x4.trunc_sat_f32x4_s (local.get $n)))
    (local.set $h (i32x4.shr_s (local.get $ni) (i32.const 1)))
    (local.set $p (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (local.get $h) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.sub (local.get $ni) (local.get $h)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; tanh (Cephes tanhf): |x| < 0.625 an odd polynomial; otherwise 1 − 2/(e^{2|x|} + 1) with x's sign
  ;; (e^{2|x|} = ∞ gives exactly 1; NaN fails both tests and stays NaN through exp).
  (func $tanh4 (param $x v128) (result v128) INLINE_LOCALS
    (local $ax v128) (local $z v128) (local $p v128) (local $big v128)
    (local.set $ax (f32x4.abs (local.get $x)))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $p (v128.const f32x4 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1)))
    (local.set $p (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $z)) (local.get $x)) (local.get $x)))
    (local.set $big (f32x4.sub (v128.const f32x4 1 1 1 1)
      (f32x4.div (v128.const f32x4 2 2 2 2)
        (f32x4.add (exp4! (f32x4.add (local.get $ax) (local.get $ax))) (v128.const f32x4 1 1 1 1)))))
    ;; copy x's sign bit onto the |x| ≥ 0.625 result
    (local.set $big (v128.or (local.get $big) (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    (v128.bitselect (local.get $p) (local.get $big) (f32x4.lt (local.get $ax) (v128.const f32x4 0.625 0.625 0.625 0.625))))

  ;; sigmoid = 1/(1 + e^−x); e^−x = ∞ gives 0, NaN stays NaN.
  (func $sigmoid4 (param $x v128) (result v128) INLINE_LOCALS
    (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (v128.const f32x4 1 1 1 1) (exp4! (f32x4.neg (local.get $x))))))

  ;; out[i] = f(x[i]) for i < n (n a multiple of 4: the caller pads). $op: 0 exp, 1 tanh, 2 sigmoid.
  ;; The switch is outside the loop, so each loop body is one straight run of SIMD.
  (func (export "unary") (param $op i32) (param $x i32) (param $out i32) (param $n i32) INLINE_LOCALS
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $d0 (block $d1 (block $d2
      (br_table $d0 $d1 $d2 (local.get $op)))
      ;; sigmoid
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $out) (sigmoid4! (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16))) (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next)))
      (return))
      ;; tanh
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $out) (tanh4! (v128.load (local.get $x))))
        (local.set $x (i32.add (local.get $x) (i32.const 16))) (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next)))
      (return))
    ;; exp
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (v128.store (local.get $out) (exp4! (v128.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 16))) (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next))))

  ;; out[i] = a[i] op b[i] for i < n (n a multiple of 4), $op: 0 add, 1 sub, 2 mul, 3 div. An
  ;; operand broadcast from one value is passed as four copies of it with step 0 ($sa or $sb = 0,
  ;; else 16), so one loop serves dense⊙dense and dense⊙scalar. IEEE float32 arithmetic gives the
  ;; same bits as the TypeScript kernels' double arithmetic rounded once to float32 (for + − × ÷ a
  ;; double result rounded to float32 is the correctly rounded float32 result).
  (func (export "binary") (param $op i32) (param $a i32) (param $sa i32) (param $b i32) (param $sb i32) (param $out i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    ;; op k branches out of the k-th innermost block, to the loop that follows it
    (block $div (block $mul (block $sub (block $add
      (br_table $add $sub $mul $div (local.get $op)))
    ;; add
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (local.get $sa)))
      (local.set $b (i32.add (local.get $b) (local.get $sb)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next)))
    (return))
    ;; sub
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store (local.get $out) (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (local.get $sa)))
      (local.set $b (i32.add (local.get $b) (local.get $sb)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next)))
    (return))
    ;; mul
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store (local.get $out) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (local.get $sa)))
      (local.set $b (i32.add (local.get $b) (local.get $sb)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next)))
    (return))
    ;; div
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
      (v128.store (local.get $out) (f32x4.div (v128.load (local.get $a)) (v128.load (local.get $b))))
      (local.set $a (i32.add (local.get $a) (local.get $sa)))
      (local.set $b (i32.add (local.get $b) (local.get $sb)))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (br $next))))

  ;; ---- softmax family along contiguous rows -----------------------------------------------------
  ;; Pass 1, per row r of $len floats at $x: m = max, then e = exp(x − m) written to $out and
  ;; s = Σ e; m and s go to $stats[2r], $stats[2r+1]. Rows are padded to a multiple of 4 with −∞ by
  ;; the caller (e = 0 there). A row whose max is not finite gets a meaningless s; the caller
  ;; recomputes such rows (±∞ and NaN follow the scalar rules there).
  (func (export "softmaxStats") (param $x i32) (param $out i32) (param $stats i32) (param $rows i32) (param $len i32) INLINE_LOCALS
    (local $r i32) (local $p i32) (local $q i32) (local $end i32) (local $mv v128) (local $sv v128) (local $e v128)
    (local $m f32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $len) (i32.const 2)))
    (block $doneR (loop $nextR
      (br_if $doneR (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
      (local.set $mv (v128.const f32x4 -inf -inf -inf -inf))
      (local.set $p (local.get $x))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $mv (f32x4.max (local.get $mv) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
      (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mv)) (f32x4.extract_lane 1 (local.get $mv)))
                             (f32.max (f32x4.extract_lane 2 (local.get $mv)) (f32x4.extract_lane 3 (local.get $mv)))))
      (local.set $mv (f32x4.splat (local.get $m)))
      (local.set $sv (v128.const f32x4 0 0 0 0))
      (local.set $p (local.get $x))
      (local.set $q (local.get $out))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $e (exp4! (f32x4.sub (v128.load (local.get $p)) (local.get $mv))))
        (v128.store (local.get $q) (local.get $e))
        (local.set $sv (f32x4.add (local.get $sv) (local.get $e)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $next)))
      (f32.store (local.get $stats) (local.get $m))
      (f32.store offset=4 (local.get $stats)
        (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sv)) (f32x4.extract_lane 1 (local.get $sv)))
                 (f32.add (f32x4.extract_lane 2 (local.get $sv)) (f32x4.extract_lane 3 (local.get $sv)))))
      (local.set $x (local.get $end))
      (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
      (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $nextR))))

  ;; Pass 2, per row, with the row's pair ($k[2r], $k[2r+1]) from pass 1, rewritten by the caller:
  ;; $mode 0, softmax: out = out·(1/s), the pair being (m, 1/s); $mode 1, logSoftmax:
  ;; out = (x − m) − log s, the pair being (m, log s) — subtracting m first keeps x − m exact where
  ;; it is small, which m + log s rounded to float32 would not (wasm has no log: the caller takes it).
(func (export "softmaxFinish") (param $mode i32) (param $x i32) (param $out i32) (param $k i32) (param $rows i32) (param $len i32)
    (local $r i32) (local $end i32) (local $mv v128) (local $kv v128) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $len) (i32.const 2)))
    (block $doneR (loop $nextR
      (br_if $doneR (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $mv (v128.load32_splat (local.get $k)))
      (local.set $kv (v128.load32_splat offset=4 (local.get $k)))
      (local.set $end (i32.add (local.get $out) (local.get $rowBytes)))
      (if (local.get $mode)
        (then (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
          (v128.store (local.get $out) (f32x4.sub (f32x4.sub (v128.load (local.get $x)) (local.get $mv)) (local.get $kv)))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (br $next))))
        (else (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
          (v128.store (local.get $out) (f32x4.mul (v128.load (local.get $out)) (local.get $kv)))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (br $next)))
          (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))))
      (local.set $k (i32.add (local.get $k) (i32.const 8)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $nextR))))

  ;; ---- softmax cross-entropy ----------------------------------------------------------------------
  ;; Per row r of $len floats at $x (padded with −∞ to a multiple of 4): m = max and s = Σ exp(x − m)
  ;; to $stats[2r], $stats[2r+1], storing nothing else (logsumexp and cross-entropy need only these).
  ;; A row whose max is not finite gets a meaningless s; the caller recomputes such rows.
  (func (export "rowStats") (param $x i32) (param $stats i32) (param $rows i32) (param $len i32) INLINE_LOCALS
    (local $r i32) (local $p i32) (local $end i32) (local $mv v128) (local $sv v128) (local $m f32)
    (block $doneR (loop $nextR
      (br_if $doneR (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 2))))
      (local.set $mv (v128.const f32x4 -inf -inf -inf -inf))
      (local.set $p (local.get $x))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $mv (f32x4.max (local.get $mv) (v128.load (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
      (local.set $m (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mv)) (f32x4.extract_lane 1 (local.get $mv)))
                             (f32.max (f32x4.extract_lane 2 (local.get $mv)) (f32x4.extract_lane 3 (local.get $mv)))))
      (local.set $mv (f32x4.splat (local.get $m)))
      (local.set $sv (v128.const f32x4 0 0 0 0))
      (local.set $p (local.get $x))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $sv (f32x4.add (local.get $sv) (exp4! (f32x4.sub (v128.load (local.get $p)) (local.get $mv)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
      (f32.store (local.get $stats) (local.get $m))
      (f32.store offset=4 (local.get $stats)
        (f32.add (f32.add (f32x4.extract_lane 0 (local.get $sv)) (f32x4.extract_lane 1 (local.get $sv)))
                 (f32.add (f32x4.extract_lane 2 (local.get $sv)) (f32x4.extract_lane 3 (local.get $sv)))))
      (local.set $x (local.get $end))
      (local.set $stats (i32.add (local.get $stats) (i32.const 8)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $nextR))))

  ;; Cross-entropy's gradient before the onehot: out = exp(x − lse)·g per row, the pair (lse, g) at
  ;; $k[2r], $k[2r+1]. The caller subtracts g at each row's target and fixes rows of non-finite lse.
  (func (export "ceGrad") (param $x i32) (param $out i32) (param $k i32) (param $rows i32) (param $len i32) INLINE_LOCALS
    (local $r i32) (local $end i32) (local $lv v128) (local $gv v128)
    (block $doneR (loop $nextR
      (br_if $doneR (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $lv (v128.load32_splat (local.get $k)))
      (local.set $gv (v128.load32_splat offset=4 (local.get $k)))
      (local.set $end (i32.add (local.get $out) (i32.shl (local.get $len) (i32.const 2))))
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (v128.store (local.get $out) (f32x4.mul (exp4! (f32x4.sub (v128.load (local.get $x)) (local.get $lv))) (local.get $gv)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next)))
      (local.set $k (i32.add (local.get $k) (i32.const 8)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $nextR))))
)
