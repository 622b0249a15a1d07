from uplink_python._c.structs import C_STRUCTS

from ..layout import REPO_HEADER, declarations_from_ctypes, layout_from_ctypes, layout_from_gcc, typedef_names


def test_gcc_lays_out_the_declared_structs_as_ctypes_does(tmp_path):
    header = tmp_path / "declared.h"
    header.write_text(declarations_from_ctypes())
    assert layout_from_gcc(header, tmp_path) == layout_from_ctypes()


def test_our_header_lays_out_every_struct_as_ctypes_does(tmp_path):
    # Always runs: the header is ours and in the repository, no build needed.
    assert REPO_HEADER.is_file(), REPO_HEADER
    assert layout_from_gcc(REPO_HEADER, tmp_path) == layout_from_ctypes()


def test_our_header_declares_exactly_the_mirrored_structs():
    assert typedef_names(REPO_HEADER) - {"UplinkHandle"} == set(C_STRUCTS)


def test_every_struct_of_the_v1_14_header_is_mirrored():
    # The typedef'd structs of uplink_definitions.h v1.14, by name.
    header_structs = """UplinkHandle UplinkAccess UplinkProject UplinkDownload UplinkUpload UplinkEncryptionKey
        UplinkPartUpload UplinkConfig UplinkBucket UplinkSystemMetadata UplinkCustomMetadataEntry
        UplinkCustomMetadata UplinkObject UplinkUploadOptions UplinkDownloadOptions UplinkListObjectsOptions
        UplinkListUploadsOptions UplinkListBucketsOptions UplinkObjectIterator UplinkBucketIterator
        UplinkUploadIterator UplinkPartIterator UplinkPermission UplinkPart UplinkSharePrefix UplinkError
        UplinkAccessResult UplinkProjectResult UplinkBucketResult UplinkObjectResult UplinkUploadResult
        UplinkPartUploadResult UplinkDownloadResult UplinkWriteResult UplinkReadResult UplinkStringResult
        UplinkEncryptionKeyResult UplinkUploadInfo UplinkUploadInfoResult UplinkCommitUploadOptions
        UplinkCommitUploadResult UplinkPartResult UplinkListUploadPartsOptions EdgeConfig
        EdgeRegisterAccessOptions EdgeCredentials EdgeCredentialsResult EdgeShareURLOptions
        UplinkMoveObjectOptions UplinkUploadObjectMetadataOptions UplinkCopyObjectOptions""".split()
    assert set(header_structs) - {"UplinkHandle"} == set(C_STRUCTS)
