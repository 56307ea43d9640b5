/// The release this binary is. packaging/build-deb.sh reads the Debian version from this line.
enum AtendeVersion {
    static let number = "0.1.0"
}
