from uplink_python.module_def import C_STRUCTS

from ..layout import declarations_from_ctypes, layout_from_ctypes, layout_from_gcc


def test_gcc_lays_out_the_declared_structs_as_ctypes_does(tmp_path):
    header = tmp_path / "declared.h"
    header.write_text(declarations_from_ctypes())
    assert layout_from_gcc(header, tmp_path) == layout_from_ctypes()


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
